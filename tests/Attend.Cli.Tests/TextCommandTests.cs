// The text verbs end to end: tokenizer train → encode → decode through files and stdin, eval bleu/chrf JSON output,
// and user errors (misaligned references, bad ids, missing files) as one line with exit code 2.
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class TextCommandTests
{
    [Theory]
    [InlineData("bpe", 60)]
    [InlineData("bytebpe", 280)]
    [InlineData("word", 20)]
    [InlineData("char", 40)]
    public void TrainEncodeDecodeRoundTrip(string type, int vocab)
    {
        string dir = CliRunner.TempDir();
        string corpus = Path.Combine(dir, "corpus.txt");
        File.WriteAllLines(corpus, Enumerable.Range(0, 50).Select(i => $"a dog runs {i % 5} times over the hill"));
        string tok = Path.Combine(dir, "tokenizer.json");
        var (code, _, err) = CliRunner.Run(null, "tokenizer", "train", "--type", type, "--vocab-size", vocab.ToString(), "--input", corpus, "--out", tok);
        Assert.True(code == 0, err);
        var (c1, ids, _) = CliRunner.Run("a dog runs 3 times\nover the hill\n", "tokenizer", "encode", "--tokenizer", tok);
        Assert.Equal(0, c1);
        Assert.Equal(2, ids.Trim().Split('\n').Length);
        var (c2, text, _) = CliRunner.Run(ids, "tokenizer", "decode", "--tokenizer", tok);
        Assert.Equal(0, c2);
        Assert.Equal(["a dog runs 3 times", "over the hill"], text.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
    }

    [Fact]
    public void DecodeRejectsAnIdOutsideTheVocabulary()
    {
        string dir = CliRunner.TempDir();
        string corpus = Path.Combine(dir, "c.txt");
        File.WriteAllText(corpus, "abc abd\n");
        string tok = Path.Combine(dir, "t.json");
        CliRunner.Run(null, "tokenizer", "train", "--type", "char", "--vocab-size", "20", "--input", corpus, "--out", tok);
        var (code, _, err) = CliRunner.Run("4 5\n4 999\n", "tokenizer", "decode", "--tokenizer", tok);
        Assert.Equal(2, code);
        Assert.StartsWith("error: <stdin>:2: '999' is not a token id", err);
    }

    [Fact]
    public void EvalBleuAndChrfPrintScoreAndSignatureAsJson()
    {
        string dir = CliRunner.TempDir();
        string hyp = Path.Combine(dir, "hyp.txt"), r1 = Path.Combine(dir, "ref1.txt"), r2 = Path.Combine(dir, "ref2.txt");
        File.WriteAllLines(hyp, ["The cat sat on the mat.", "A dog runs in the park today."]);
        File.WriteAllLines(r1, ["The cat sat on the mat.", "A dog is running in the park."]);
        File.WriteAllLines(r2, ["There is a cat on the mat.", "A dog runs in a park today."]);
        var (code, stdout, _) = CliRunner.Run(null, "eval", "bleu", "--hyp", hyp, "--ref", r1, "--ref", r2, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        double score = doc.RootElement.GetProperty("score").GetDouble();
        Assert.InRange(score, 50, 100);
        Assert.Equal("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", doc.RootElement.GetProperty("signature").GetString());
        var (c2, chrf, _) = CliRunner.Run(null, "eval", "chrf", "--hyp", hyp, "--ref", r1, "--lowercase", "--json");
        Assert.Equal(0, c2);
        Assert.Contains("case:lc", chrf);
    }

    [Fact]
    public void MisalignedReferencesAreAOneLineError()
    {
        string dir = CliRunner.TempDir();
        string hyp = Path.Combine(dir, "hyp.txt"), r1 = Path.Combine(dir, "ref.txt");
        File.WriteAllLines(hyp, ["a", "b", "c"]);
        File.WriteAllLines(r1, ["a", "b"]);
        var (code, _, err) = CliRunner.Run(null, "eval", "bleu", "--hyp", hyp, "--ref", r1);
        Assert.Equal(2, code);
        Assert.Contains("has 2 lines but", err);
        Assert.DoesNotContain(" at ", err);
        var (code2, _, err2) = CliRunner.Run(null, "eval", "bleu", "--hyp", Path.Combine(dir, "missing.txt"), "--ref", r1);
        Assert.Equal(2, code2);
        Assert.Contains("missing.txt: file not found", err2);
    }
}
