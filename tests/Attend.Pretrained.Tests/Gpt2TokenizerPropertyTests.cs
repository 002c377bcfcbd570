// Property tests of Attend's GPT-2 tokenizer (Gpt2Tokenizer) on the gpt2_tiny fixture's vocab.json + merges.txt:
//   - against Microsoft.ML.Tokenizers' CodeGenTokenizer (GPT-2's byte-level BPE, no prefix space, no BOS/EOS) on random
//     text mixing letters, accents, Greek, CJK, emoji, digits, every kind of whitespace, punctuation and contractions;
//   - on arbitrary Unicode: never throws, ids stay in the vocabulary, and decoding gives the text back exactly.
using FsCheck;
using FsCheck.Fluent;
using Attend.Text.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Attend.Pretrained.Tests;

public sealed class Gpt2TokenizerPropertyTests
{
    private static readonly string[] Pieces =
    [
        "a", "b", "e", "he", "ll", "o", "t", "x", "A", "Q", "Z", "é", "ü", "ñ", "Å", "ß", "λ", "Ω", "д", "我", "中", "日", "한", "😀", "👍🏽",
        "0", "1", "7", "42", " ", " ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u2009", "\u3000", ",", ".", "!", "?", "'", "\"", "-", "_", "$", "%", "&", "@",
        "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "world", "Hello", " the", "ing",
    ];

    private static readonly string Fixture = FindFixture();

    [Fact]
    public void AgreesWithMicrosoftMlTokenizersOnRandomText()
    {
        var ours = Gpt2TokenizerFiles.Load(Fixture).Tokenizer;
        var reference = Microsoft.ML.Tokenizers.BpeTokenizer.Create(new BpeOptions(Path.Combine(Fixture, "vocab.json"), Path.Combine(Fixture, "merges.txt"))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new System.Text.RegularExpressions.Regex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"), null),
        });
        var texts = Gen.Elements(Pieces).ArrayOf().Select(p => string.Concat(p)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(texts, text =>
            reference.EncodeToIds(text).SequenceEqual(ours.Encode(text))
                .Label($"\"{text}\": Microsoft.ML.Tokenizers [{string.Join(" ", reference.EncodeToIds(text))}], Attend [{string.Join(" ", ours.Encode(text))}]")));
    }

    [Fact]
    public void AnyUnicodeEncodesToKnownIdsAndDecodesBackExactly()
    {
        var tokenizer = Gpt2TokenizerFiles.Load(Fixture).Tokenizer;
        var unicode = Gen.Choose(0, 0x2FFFF).Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)
            .ArrayOf().Select(p => string.Concat(p)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(unicode, text =>
        {
            var ids = tokenizer.Encode(text);
            return (ids.All(i => i >= 0 && i < tokenizer.Count) && tokenizer.Decode(ids) == text).Label($"\"{text}\"");
        }));
    }

    private static string FindFixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", "hf", "gpt2_tiny");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/golden/hf/gpt2_tiny not found");
    }
}
