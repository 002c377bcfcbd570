// `attend train classification` and `attend classify`: a tiny label<TAB>text config trains, writes its model and
// results, resumes, and the model classifies texts from standard input and scores a test file (alone or as an
// ensemble); mistakes are one-line errors with exit code 2.
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class ClassifyCommandTests
{
    // positive texts praise, negative ones complain; the filler words carry no signal
    private static string Data(string dir, string name, int n, int seed)
    {
        var rng = new Random(seed);
        string[] filler = ["the", "film", "plot", "actor", "scene", "story", "music", "end"];
        var lines = Enumerable.Range(0, n).Select(i =>
        {
            var words = Enumerable.Range(0, 5 + rng.Next(6)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Insert(rng.Next(words.Count + 1), i % 2 == 0 ? "wonderful" : "boring");
            return (i % 2 == 0 ? "pos" : "neg") + "\t" + string.Join(' ', words);
        });
        string path = Path.Combine(dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Config(string dir, string model) => Write(dir, "cls.json", $$"""
        {
          "task": "classification", "seed": 2,
          "data": { "train": {{JsonSerializer.Serialize(Data(dir, "train.tsv", 200, 1))}}, "test": {{JsonSerializer.Serialize(Data(dir, "test.tsv", 60, 2))}},
                    "valid_fraction": 0.2, "text": { "max_tokens": 20 } },
          "tokenizer": { "type": "word", "vocab_size": 40 },
          "model": {{model}},
          "optim": { "lr": 0.005, "warmup": 5, "max_tokens": 256 },
          "train": { "max_epochs": 25, "max_minutes": 0, "threads": 1 }
        }
        """);

    private static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Transformer = """{ "pooling": "mean", "encoder": { "kind": "transformer", "embed_dim": 16, "nhead": 2, "dim_feedforward": 32, "dropout": 0.0, "max_length": 32 } }""";

    [Fact]
    public void ATinyConfigTrainsResumesAndClassifiesStandardInput()
    {
        string dir = CliRunner.TempDir();
        string config = Config(dir, Transformer), run = Path.Combine(dir, "run");
        var (code, output, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", run, "--json");
        Assert.True(code == 0, err + output);
        long steps;
        using (var results = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]))
        {
            steps = results.RootElement.GetProperty("steps").GetInt64();
            Assert.True(results.RootElement.GetProperty("test_accuracy").GetDouble() >= 0.95, output);
            Assert.Equal(60, results.RootElement.GetProperty("test_texts").GetInt32());
        }
        Assert.True(File.Exists(Path.Combine(run, "results.json")));
        Assert.True(File.Exists(Path.Combine(run, "curve.svg")));

        (code, output, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", run, "--resume", "--set", "train.max_epochs=26");
        Assert.True(code == 0, err + output);
        using (var resumed = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            Assert.InRange(resumed.RootElement.GetProperty("steps").GetInt64(), steps + 1, steps + steps / 10); // one more epoch

        var (c2, classified, e2) = CliRunner.Run("a wonderful film\nthe plot was boring\n\n", "classify", "--model", Path.Combine(run, "model"), "--threads", "1");
        Assert.True(c2 == 0, e2);
        var rows = classified.TrimEnd().Split('\n').Select(l => l.Split('\t')).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal("pos", rows[0][0]);
        Assert.Equal("neg", rows[1][0]);
        Assert.InRange(double.Parse(rows[0][1], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);

        var (c3, json, _) = CliRunner.Run("wonderful\n", "classify", "--model", Path.Combine(run, "model"), "--json", "--threads", "1");
        Assert.Equal(0, c3);
        using var doc = JsonDocument.Parse(json.Trim());
        Assert.Equal("pos", doc.RootElement.GetProperty("label").GetString());
        double sum = doc.RootElement.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.Equal(1.0, sum, 4);

        // eval classification scores the test file as training did; the model twice is an ensemble with the same answers
        double tested;
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            tested = results.RootElement.GetProperty("test_accuracy").GetDouble();
        string m = Path.Combine(run, "model"), testFile = Path.Combine(dir, "test.tsv");
        var (c4, scored, e4) = CliRunner.Run(null, "eval", "classification", "--model", m, "--model", m, "--test", testFile, "--json", "--threads", "1");
        Assert.True(c4 == 0, e4);
        using (var score = JsonDocument.Parse(scored.Trim()))
        {
            Assert.Equal(tested, score.RootElement.GetProperty("accuracy").GetDouble(), 4);
            Assert.Equal(60, score.RootElement.GetProperty("texts").GetInt32());
            Assert.Equal(2, score.RootElement.GetProperty("members").GetInt32());
        }
        File.WriteAllLines(Path.Combine(dir, "odd.tsv"), ["pos\tfine", "meh\tunknown label"]);
        var (c5, _, e5) = CliRunner.Run(null, "eval", "classification", "--model", m, "--test", Path.Combine(dir, "odd.tsv"));
        Assert.Equal(2, c5);
        Assert.Contains("odd.tsv:2", e5);
        var (c6, _, e6) = CliRunner.Run(null, "eval", "classification", "--model", m);
        Assert.Equal(2, c6);
        Assert.Contains("exactly one of --imdb", e6);
    }

    [Fact]
    public void TheBagOfNgramsBaselineTrainsWithSgd()
    {
        string dir = CliRunner.TempDir();
        string config = Config(dir, """{ "bow": { "bigram_buckets": 1024 } }""");
        var (code, output, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", Path.Combine(dir, "run"),
            "--set", "optim.optimizer=sgd", "--set", "optim.lr=0.5", "--json");
        Assert.True(code == 0, err + output);
        using var results = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.True(results.RootElement.GetProperty("test_accuracy").GetDouble() >= 0.95, output);
    }

    [Fact]
    public void MistakesAreOneLineErrors()
    {
        string dir = CliRunner.TempDir();
        string config = Config(dir, Transformer), run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", run, "--set", "model.encoder.heads=2");
        Assert.Equal(2, code);
        Assert.Contains("model.encoder.heads", err);
        (code, _, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", run, "--set", "data.text.max_tokens=40");
        Assert.Equal(2, code);
        Assert.Contains("max_tokens", err);
        (code, _, err) = CliRunner.Run(null, "train", "classification", "--config", config, "--out", run, "--set", "model.bow={}");
        Assert.Equal(2, code);
        Assert.Contains("give one of model.init", err);
        (code, _, err) = CliRunner.Run("text\n", "classify", "--model", Path.Combine(dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }
}
