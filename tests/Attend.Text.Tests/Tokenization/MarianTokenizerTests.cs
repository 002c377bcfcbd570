// MarianTokenizer on the marian_tiny fixture (tests/golden/hf/marian_tiny, copied from ../shared/golden/hf; README §4):
// pieces and ids exactly as Hugging Face's MarianTokenizer gives them for the 30 source and 10 target cases (language
// codes split off, SentencePiece normalisation, runs of unknown characters as one piece, </s> appended), decoding,
// and refusals that name the file and the field.
using System.Text.Json.Nodes;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Text.Tests.Tokenization;

public sealed class MarianTokenizerTests
{
    private static readonly string Dir = FindFixture();
    private static JsonNode Reference => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference.json")))!["tokenizer"]!;

    [Theory]
    [InlineData("source_cases", 30)]
    [InlineData("target_cases", 10)]
    public void PiecesAndIdsAreThoseOfMarianTokenizer(string side, int count)
    {
        var tokenizer = MarianTokenizer.Load(Dir);
        var cases = Reference[side]!.AsArray();
        Assert.Equal(count, cases.Count);
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var pieces = c["pieces"]!.AsArray().Select(p => (string)p!).ToArray();
            var ids = c["ids"]!.AsArray().Select(i => (int)i!).ToArray();
            var gotPieces = side == "source_cases" ? tokenizer.SourcePieces(text) : tokenizer.TargetPieces(text);
            var gotIds = side == "source_cases" ? tokenizer.EncodeSource(text) : tokenizer.EncodeTarget(text);
            Assert.True(pieces.SequenceEqual(gotPieces), $"{text}: expected [{string.Join(" ", pieces)}], got [{string.Join(" ", gotPieces)}]");
            Assert.True(ids.SequenceEqual(gotIds), $"{text}: expected [{string.Join(" ", ids)}], got [{string.Join(" ", gotIds)}]");
        }
    }

    [Fact]
    public void DecodingSkipsSpecialTokensAndReadsPieceMarksAsSpaces()
    {
        var tokenizer = MarianTokenizer.Load(Dir);
        var ids = tokenizer.EncodeSource("Two dogs play in the snow.");
        Assert.Equal(tokenizer.EosId, ids[^1]);
        Assert.Equal("Two dogs play in the snow.", tokenizer.Decode([tokenizer.PadId, .. ids]));
    }

    [Fact]
    public void BadFilesAreRefusedNamingTheFileAndField()
    {
        string dir = CopyOf(Dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer_config.json")))!.AsObject();
        config["separate_vocabs"] = true;
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => MarianTokenizer.Load(dir));
        Assert.Contains("separate_vocabs", e.Message);

        dir = CopyOf(Dir);
        File.WriteAllText(Path.Combine(dir, "vocab.json"), "{\"a\": \"one\"}");
        e = Assert.Throws<DataFormatException>(() => MarianTokenizer.Load(dir));
        Assert.Contains("vocab.json", e.Message);

        dir = CopyOf(Dir);
        File.WriteAllBytes(Path.Combine(dir, "source.spm"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        e = Assert.Throws<DataFormatException>(() => MarianTokenizer.Load(dir));
        Assert.Contains("source.spm", e.Message);

        dir = CopyOf(Dir);
        File.Delete(Path.Combine(dir, "target.spm"));
        e = Assert.Throws<DataFormatException>(() => MarianTokenizer.Load(dir));
        Assert.Contains("target.spm", e.Message);
    }

    private static string CopyOf(string dir)
    {
        string copy = Directory.CreateTempSubdirectory("attend-marian-").FullName;
        foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        foreach (var f in Directory.GetFiles(copy)) File.SetAttributes(f, FileAttributes.Normal);
        return copy;
    }

    private static string FindFixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", "hf", "marian_tiny");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/golden/hf/marian_tiny not found");
    }
}
