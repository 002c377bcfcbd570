// Property tests of Attend's WordPiece tokenizer on the real MiniLM vocabulary:
//   - against Microsoft.ML.Tokenizers' BertTokenizer on random text from the characters where that tokenizer follows
//     Hugging Face (letters with and without accents, digits, spaces, CJK, punctuation of Unicode's P* classes); it
//     differs from Hugging Face on symbols such as $ + = ^ and on emoji (dotnet/machinelearning 7724, 7725), which is
//     why Attend has its own;
//   - on arbitrary Unicode: never throws, ids stay in the vocabulary, [CLS] … [SEP], and a space separates words
//     completely (the ids of "a b" are those of "a" followed by those of "b").
using FsCheck;
using FsCheck.Fluent;
using Microsoft.ML.Tokenizers;

namespace Attend.Pretrained.Tests;

[Collection("minilm")]
public sealed class TokenizerPropertyTests(MiniLm minilm)
{
    private static readonly string[] Pieces =
    [
        "a", "b", "e", "n", "s", "t", "x", "z", "A", "E", "Q", "Z", "é", "è", "ü", "ñ", "ç", "Å", "É", "ø", "0", "1", "7", "9",
        " ", " ", " ", "  ", ",", ".", "!", "?", ";", ":", "'", "\"", "(", ")", "-", "[", "]", "{", "}", "/", "\\", "@", "#", "%", "&", "*",
        "我", "中", "文", "日", "本", "д", "ж", "λ", "Ω", "the", "cat", "token", "ization", "un", "able", "ing",
    ];

    [Fact]
    public void AgreesWithMicrosoftMlTokenizersWhereThatFollowsHuggingFace()
    {
        var reference = BertTokenizer.Create(minilm.VocabPath, new BertOptions { RemoveNonSpacingMarks = true });
        var ours = minilm.Checkpoint.Tokenizer;
        var texts = Gen.Elements(Pieces).ArrayOf().Select(p => string.Concat(p)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(texts, text =>
            reference.EncodeToIds(text).SequenceEqual(ours.Encode(text).Ids)
                .Label($"\"{text}\": Microsoft.ML.Tokenizers [{string.Join(" ", reference.EncodeToIds(text))}], Attend [{string.Join(" ", ours.Encode(text).Ids)}]")));
    }

    [Fact]
    public void AnyUnicodeTokenizesToKnownIdsAndSpacesSeparateWordsCompletely()
    {
        var tokenizer = minilm.Checkpoint.Tokenizer;
        var unicode = Gen.Choose(0, 0x2FFFF).Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)
            .ArrayOf().Select(p => string.Concat(p)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(unicode, unicode, (a, b) =>
        {
            var ids = tokenizer.Encode(a + " " + b).Ids;
            var apart = tokenizer.EncodeTokens(a).Concat(tokenizer.EncodeTokens(b));
            return (ids[0] == tokenizer.ClsId && ids[^1] == tokenizer.SepId && ids.All(i => i >= 0 && i < tokenizer.Tokens.Count)
                && ids[1..^1].SequenceEqual(apart)).Label($"\"{a}\" + \"{b}\"");
        }));
    }

    [Fact]
    public void TruncationKeepsTheSpecialTokensAndCutsTheLongerSegmentFirst()
    {
        var tokenizer = minilm.Checkpoint.Tokenizer;
        var input = tokenizer.Encode(string.Concat(Enumerable.Repeat("word ", 50)), "short pair", maxLength: 20);
        Assert.Equal(20, input.Ids.Length);
        Assert.Equal(tokenizer.ClsId, input.Ids[0]);
        Assert.Equal(tokenizer.SepId, input.Ids[^1]);
        Assert.Equal(3, input.TypeIds.Count(t => t == 1));   // "short pair" [SEP] kept whole
    }
}
