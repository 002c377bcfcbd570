// BPE training and encoding: the lecture's example, round trips (exact for byte-level BPE on random Unicode), merges
// applied by rank, determinism, and training speed independence from thread count is not assumed anywhere.
using System.Text;
using Attend.Text.Tokenization;

namespace Attend.Text.Tests.Tokenization;

public class BpeTests
{
    // Sennrich et al.'s toy corpus: low ×5, lower ×2, newest ×6, widest ×3
    private static readonly string[] Lecture = [.. Enumerable.Repeat("low", 5), .. Enumerable.Repeat("lower", 2), .. Enumerable.Repeat("newest", 6), .. Enumerable.Repeat("widest", 3)];

    [Fact]
    public void LectureExampleMergesESFirstThenBuildsEst()
    {
        var tok = BpeTokenizer.Train(Lecture, vocabSize: 4 + 11 + 4);
        var merges = tok.Model.Merges;
        Assert.Equal(("e", "s"), merges[0]);
        Assert.Equal(("es", "t"), merges[1]);
        Assert.Equal(("est", "</w>"), merges[2]);
        Assert.Equal(("l", "o"), merges[3]);
        Assert.Equal(["n", "e", "w", "est</w>"], EncodeToStrings(tok, "newest"));
    }

    private static string[] EncodeToStrings(ITokenizer tok, string s) => tok.Encode(s).Select(id => tok.Vocabulary[id]).ToArray();

    [Fact]
    public void EncodingAppliesMergesByRankAndMarksWordEnds()
    {
        var tok = BpeTokenizer.Train(Lecture, vocabSize: 4 + 11 + 3);
        Assert.Equal(["w", "i", "d", "est</w>"], EncodeToStrings(tok, "wid"+"est"));
        Assert.Equal(["l", "o", "w", "est</w>"], EncodeToStrings(tok, "lowest"));
        Assert.Equal("lowest widest", tok.Decode(tok.Encode("  lowest\t widest ")));
    }

    [Fact]
    public void UnseenCharactersBecomeUnk()
    {
        var tok = BpeTokenizer.Train(Lecture, 30);
        Assert.Contains(SpecialTokens.Unk, tok.Encode("lowz"));
    }

    [Fact]
    public void WordBpeRoundTripsTextOverItsAlphabetUpToWhitespace()
    {
        var rng = new Random(3);
        string alphabet = "abcdeéfgñöß.,!?";
        string Word() => new(Enumerable.Range(0, rng.Next(1, 9)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
        var corpus = Enumerable.Range(0, 300).Select(_ => string.Join(' ', Enumerable.Range(0, 8).Select(_ => Word()))).ToList();
        var tok = BpeTokenizer.Train(corpus, 200);
        for (int i = 0; i < 50; i++)
        {
            string s = string.Join(rng.Next(2) == 0 ? " " : "  \t", Enumerable.Range(0, rng.Next(1, 10)).Select(_ => Word()));
            Assert.Equal(string.Join(' ', s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)), tok.Decode(tok.Encode(s)));
        }
    }

    [Fact]
    public void ByteBpeRoundTripsRandomUnicodeExactly()
    {
        var rng = new Random(11);
        var corpus = Enumerable.Range(0, 200).Select(_ => RandomText(rng, 40)).ToList();
        var tok = ByteBpeTokenizer.Train(corpus, 4 + 256 + 300);
        Assert.True(tok.Vocabulary.Count > 4 + 256);
        for (int i = 0; i < 300; i++)
        {
            string s = RandomText(rng, rng.Next(0, 60));
            var ids = tok.Encode(s);
            Assert.DoesNotContain(SpecialTokens.Unk, ids);
            Assert.Equal(s, tok.Decode(ids));
        }
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        var corpus = Enumerable.Range(0, 100).Select(i => $"the {i} cats sat on {i % 7} mats and the dogs ran").ToList();
        var a = TokenizerFile.ToJson(BpeTokenizer.Train(corpus, 120));
        var b = TokenizerFile.ToJson(BpeTokenizer.Train(corpus, 120));
        Assert.Equal(a, b);
    }

    [Fact]
    public void VocabularyReachesTheRequestedSizeWhenPairsRemain()
    {
        var corpus = Enumerable.Range(0, 200).Select(i => $"word{i} another{i % 13} thing{i % 29}").ToList();
        var tok = BpeTokenizer.Train(corpus, 90);
        Assert.Equal(90, tok.Vocabulary.Count);
    }

    /// <summary>Random valid Unicode: ASCII, Latin-1, Greek, CJK, emoji (astral), whitespace and combining marks.</summary>
    internal static string RandomText(Random rng, int runes)
    {
        int[][] ranges = [[0x20, 0x7E], [0xA0, 0xFF], [0x391, 0x3C9], [0x4E00, 0x4E80], [0x1F600, 0x1F64F], [0x300, 0x36F], [0x9, 0xA]];
        var sb = new StringBuilder();
        for (int i = 0; i < runes; i++)
        {
            var r = ranges[rng.Next(ranges.Length)];
            sb.Append(char.ConvertFromUtf32(rng.Next(r[0], r[1] + 1)));
        }
        return sb.ToString();
    }
}
