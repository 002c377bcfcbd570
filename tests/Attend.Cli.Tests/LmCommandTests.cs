// `attend train lm`, `attend generate` and `attend train markov`: a tiny config trains and resumes, its model streams
// a continuation that a seed reproduces (cached or not), and mistakes are one-line errors.
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class LmCommandTests
{
    private static string Text(string dir)
    {
        string path = Path.Combine(dir, "text.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("to be or not to be, that is the question.\n", 120)));
        return path;
    }

    private static string TinyConfig(string dir)
    {
        string config = Path.Combine(dir, "lm.json");
        File.WriteAllText(config, $$"""
            {
              "task": "lm", "seed": 3,
              "data": { "text": {{JsonSerializer.Serialize(Text(dir))}} },
              "tokenizer": { "type": "char", "vocab_size": 64 },
              "model": { "context": 16, "d_model": 32, "nhead": 2, "num_layers": 1, "dropout": 0.0 },
              "optim": { "lr": 0.003, "warmup": 5, "batch_size": 8 },
              "train": { "max_steps": 30, "valid_every": 15, "valid_batches": 2, "final_valid_batches": 4, "threads": 1 },
              "sample": { "prompt": "to ", "max_tokens": 20 }
            }
            """);
        return config;
    }

    [Fact]
    public void ATinyConfigTrainsResumesAndGenerates()
    {
        string dir = CliRunner.TempDir();
        string config = TinyConfig(dir);
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "lm", "--config", config, "--out", run);
        Assert.True(code == 0, err);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
        {
            Assert.Equal(30, results.RootElement.GetProperty("steps").GetInt64());
            Assert.InRange(results.RootElement.GetProperty("valid_loss").GetDouble(), 0, 2.5); // ln 64 ≈ 4.2 untrained
        }
        Assert.StartsWith("to ", File.ReadAllText(Path.Combine(run, "sample.txt")));

        (code, _, err) = CliRunner.Run(null, "train", "lm", "--config", config, "--out", run, "--resume", "--set", "train.max_steps=40");
        Assert.True(code == 0, err);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            Assert.Equal(40, results.RootElement.GetProperty("steps").GetInt64());

        string model = Path.Combine(run, "model");
        var (g1, out1, e1) = CliRunner.Run(null, "generate", "--model", model, "--prompt", "to be", "--max-tokens", "40", "--seed", "5", "--threads", "1");
        Assert.True(g1 == 0, e1);
        var (_, out2, _) = CliRunner.Run(null, "generate", "--model", model, "--prompt", "to be", "--max-tokens", "40", "--seed", "5", "--no-cache", "--threads", "1");
        Assert.StartsWith("to be", out1);
        Assert.Equal(out1, out2);
        Assert.InRange(out1.Length, "to be".Length + 2, "to be".Length + 40 + Environment.NewLine.Length); // one character per token (specials print nothing)
    }

    [Fact]
    public void MistakesAreOneLineErrors()
    {
        string dir = CliRunner.TempDir();
        var (code, _, err) = CliRunner.Run(null, "train", "lm", "--config", TinyConfig(dir), "--out", Path.Combine(dir, "r"), "--set", "model.positions=rotary");
        Assert.Equal(2, code);
        Assert.Contains("model.positions", err);
        (code, _, err) = CliRunner.Run(null, "generate", "--model", Path.Combine(dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", err);
        (code, _, err) = CliRunner.Run(null, "train", "markov", "--text", Path.Combine(dir, "none.txt"));
        Assert.Equal(2, code);
        Assert.Contains("none.txt", err);
    }

    [Fact]
    public void MarkovModelsReportValidationLoss()
    {
        string dir = CliRunner.TempDir();
        string text = Text(dir);
        var losses = new Dictionary<string, double>();
        foreach (var order in new[] { "1", "2", "skip" })
        {
            var (code, output, err) = CliRunner.Run(null, "train", "markov", "--text", text, "--order", order, "--sample", "0", "--json");
            Assert.True(code == 0, err);
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            losses[order] = json.RootElement.GetProperty("valid_loss").GetDouble();
        }
        Assert.True(losses["2"] < losses["1"], $"second order ({losses["2"]:F3}) should beat first order ({losses["1"]:F3}) on repeated text");
        Assert.All(losses.Values, l => Assert.InRange(l, 0, Math.Log(64)));
    }
}
