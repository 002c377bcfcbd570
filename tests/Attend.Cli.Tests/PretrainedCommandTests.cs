// The pretrained-encoder verbs on the Hugging Face fixture (tests/golden/hf/bert_tiny): convert hf, tokenizer encode
// on a model directory, embed (unit vectors, one per line), search (the corpus index is reused, and rebuilt when the
// corpus changes), classify straight from the Hugging Face directory, and the refusals.
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class PretrainedCommandTests
{
    private static string BertTiny()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", "hf", "bert_tiny");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/golden/hf/bert_tiny not found");
    }

    [Fact]
    public void ConvertHfWritesAnAttendDirectoryThatClassifiesAsTheOriginal()
    {
        string model = Path.Combine(CliRunner.TempDir(), "bert");
        var (code, _, err) = CliRunner.Run(null, "convert", "hf", "--dir", BertTiny(), "--out", model);
        Assert.True(code == 0, err);
        Assert.Contains("classifier (NEGATIVE, POSITIVE)", err);
        Assert.Contains("uncased", err);
        const string texts = "A dog runs across the green field.\nHello, world!\n";
        var (c1, fromHf, e1) = CliRunner.Run(texts, "classify", "--model", BertTiny(), "--json");
        var (c2, fromAttend, e2) = CliRunner.Run(texts, "classify", "--model", model, "--json");
        Assert.True(c1 == 0 && c2 == 0, e1 + e2);
        Assert.Equal(fromHf, fromAttend);
        Assert.Equal(2, fromHf.Trim().Split('\n').Length);
    }

    [Fact]
    public void TokenizerEncodeOnAModelDirectoryPrintsTheIdsTheModelSees()
    {
        var (code, output, err) = CliRunner.Run("Hello, world!\n", "tokenizer", "encode", "--tokenizer", BertTiny());
        Assert.True(code == 0, err);
        Assert.Equal("7 382 21 383 10 8", output.Trim());   // reference.json: [CLS] hello , world ! [SEP]
    }

    [Fact]
    public void EmbedPrintsOneUnitVectorPerLine()
    {
        var (code, output, err) = CliRunner.Run("first line\nsecond line\n\n", "embed", "--model", BertTiny());
        Assert.True(code == 0, err);
        var vectors = output.Trim().Split('\n').Select(l => JsonSerializer.Deserialize<float[]>(l)!).ToArray();
        Assert.Equal(3, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(64, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        var (rc, raw, rerr) = CliRunner.Run("first line\n", "embed", "--model", BertTiny(), "--no-normalize", "--pooling", "cls");
        Assert.True(rc == 0, rerr);
        Assert.NotEqual(1.0, Math.Sqrt(JsonSerializer.Deserialize<float[]>(raw.Trim())!.Sum(x => (double)x * x)), 3);
    }

    [Fact]
    public void SearchReusesItsIndexAndRebuildsItWhenTheCorpusChanges()
    {
        string corpus = Path.Combine(CliRunner.TempDir(), "corpus.txt");
        File.WriteAllText(corpus, "the cat sat on the mat\nstocks fell sharply\nhello world\n");
        var (code, output, err) = CliRunner.Run("hello world\n", "search", "--model", BertTiny(), "--corpus", corpus, "--top", "2", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("embedded 3 lines", err);
        var first = JsonDocument.Parse(output.Trim()).RootElement.GetProperty("results");
        Assert.Equal(2, first.GetArrayLength());
        Assert.Equal(3, first[0].GetProperty("line").GetInt32());            // the identical line is nearest, score 1
        Assert.Equal(1.0, first[0].GetProperty("score").GetDouble(), 4);
        var (_, again, err2) = CliRunner.Run("hello world\n", "search", "--model", BertTiny(), "--corpus", corpus, "--top", "2", "--json");
        Assert.Contains("3 lines from", err2);
        Assert.Equal(output, again);
        File.AppendAllText(corpus, "one more line\n");
        var (_, _, err3) = CliRunner.Run("hello\n", "search", "--model", BertTiny(), "--corpus", corpus);
        Assert.Contains("embedded 4 lines", err3);
        File.WriteAllBytes(corpus + ".attend-index", [1, 2, 3]);             // a damaged index is rebuilt, not trusted
        var (c4, _, err4) = CliRunner.Run("hello\n", "search", "--model", BertTiny(), "--corpus", corpus);
        Assert.True(c4 == 0, err4);
        Assert.Contains("embedded 4 lines", err4);
    }

    [Fact]
    public void APickleOrABareEncoderIsAOneLineError()
    {
        string dir = CliRunner.TempDir();
        foreach (var f in Directory.GetFiles(BertTiny())) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.Move(Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "pytorch_model.bin"));
        var (code, _, err) = CliRunner.Run("x\n", "embed", "--model", dir);
        Assert.NotEqual(0, code);
        Assert.Contains("model.safetensors", err);
        Assert.DoesNotContain("   at ", err);
        var (c2, _, e2) = CliRunner.Run(null, "convert", "onnx", "--onnx", Path.Combine(dir, "missing.onnx"), "--vocab", Path.Combine(dir, "vocab.txt"), "--out", Path.Combine(dir, "out"));
        Assert.NotEqual(0, c2);
        Assert.Contains("missing.onnx", e2);
        string garbage = Path.Combine(dir, "garbage.onnx");
        File.WriteAllBytes(garbage, [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]);
        var (c3, _, e3) = CliRunner.Run(null, "convert", "onnx", "--onnx", garbage, "--vocab", Path.Combine(dir, "vocab.txt"), "--out", Path.Combine(dir, "out"));
        Assert.NotEqual(0, c3);
        Assert.StartsWith("error: ONNX file:", e3.Trim());
    }
}
