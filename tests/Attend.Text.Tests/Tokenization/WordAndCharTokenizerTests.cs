// The word vectorizer (frequency-ranked vocabulary, OOV → <unk>, Keras-style standardisation) and the character
// tokenizer (code points, NFC).
using Attend.Text.Tokenization;

namespace Attend.Text.Tests.Tokenization;

public class WordAndCharTokenizerTests
{
    [Fact]
    public void WordVocabularyIsRankedByFrequencyWithFirstAppearanceBreakingTies()
    {
        var tok = WordTokenizer.Train(["b a c", "a b", "a d"], vocabSize: 7);
        Assert.Equal(["<pad>", "<unk>", "<bos>", "<eos>", "a", "b", "c"], tok.Vocabulary.Tokens);
        Assert.Equal([4, 5, SpecialTokens.Unk], tok.Encode("A, b! d"));
    }

    [Theory]
    [InlineData(Standardize.LowerAndStripPunctuation, "Hello, World!", "hello world")]
    [InlineData(Standardize.Lower, "Hello, World!", "hello, world!")]
    [InlineData(Standardize.None, "Hello, World!", "Hello, World!")]
    public void StandardisationFollowsTheSetting(Standardize mode, string input, string expected) =>
        Assert.Equal(expected, string.Join(' ', WordTokenizer.Split(input, mode)));

    [Fact]
    public void CharTokenizerRoundTripsCodePointsIncludingAstral()
    {
        string text = "Größe 🐕 e\u0301";
        var tok = CharTokenizer.Train([text]);
        var ids = tok.Encode(text);
        Assert.Equal("Größe 🐕 é", tok.Decode(ids)); // NFC composes e + U+0301
        Assert.Equal(9, ids.Length); // G r ö ß e ␠ 🐕 ␠ é
        Assert.Equal([SpecialTokens.Unk], tok.Encode("z"));
    }

    [Fact]
    public void CharTokenizerRoundTripsRandomUnicodeUpToNfc()
    {
        var rng = new Random(4);
        var texts = Enumerable.Range(0, 100).Select(_ => BpeTests.RandomText(rng, 30)).ToList();
        var tok = CharTokenizer.Train(texts);
        foreach (var t in texts) Assert.Equal(t.Normalize(System.Text.NormalizationForm.FormC), tok.Decode(tok.Encode(t)));
    }
}
