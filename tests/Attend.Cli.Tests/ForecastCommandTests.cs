// `attend train forecast`, `attend forecast` and `attend eval forecast` on a small CSV: a config trains and resumes,
// the model forecasts the rows after the file with continued dates, eval reports both window sets, draws a plot and
// writes per-window errors (CSV and SVG),
// two model directories forecast as an ensemble, a backtest scores K successive test periods and resumes,
// and mistakes (a bad cell, a bad key, a window out of range) are one-line errors.
using System.Globalization;
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class ForecastCommandTests
{
    private static string Csv(string dir, int rows = 260)
    {
        var lines = new List<string> { "date,load,OT" };
        for (int r = 0; r < rows; r++)
        {
            double a = Math.Sin(2 * Math.PI * r / 12), b = 20 + 3 * Math.Cos(2 * Math.PI * r / 24);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{new DateTime(2021, 1, 1).AddHours(r):yyyy-MM-dd HH:mm:ss},{a:F4},{b:F4}"));
        }
        string path = Path.Combine(dir, "series.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Config(string dir, string csv)
    {
        string config = Path.Combine(dir, "forecast.json");
        File.WriteAllText(config, $$"""
            {
              "task": "forecast", "seed": 5,
              "data": { "csv": {{JsonSerializer.Serialize(csv)}}, "train_rows": 160, "valid_rows": 50, "test_rows": 50 },
              "model": { "kind": "dlinear", "lookback": 24, "horizon": 8, "moving_avg": 5 },
              "optim": { "lr": 0.003, "batch_size": 16 },
              "train": { "max_epochs": 2, "threads": 1 }
            }
            """);
        return config;
    }

    [Fact]
    public void TrainsResumesForecastsAndEvaluates()
    {
        string dir = CliRunner.TempDir();
        string csv = Csv(dir);
        string run = Path.Combine(dir, "run");
        var (code, stdout, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", run, "--json");
        Assert.True(code == 0, err);
        using (var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]))
        {
            Assert.Equal(50 - 8 + 1, json.RootElement.GetProperty("test_windows").GetInt32());
            Assert.Equal(32, json.RootElement.GetProperty("test_windows_kept").GetInt32());
            Assert.True(json.RootElement.GetProperty("test_mse").GetDouble() > 0);
        }
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", run, "--resume", "--set", "train.max_epochs=3");
        Assert.True(code == 0, err);

        string model = Path.Combine(run, "model");
        (code, stdout, err) = CliRunner.Run(null, "forecast", "--model", model, "--csv", csv);
        Assert.True(code == 0, err);
        var rows = stdout.Trim().Split('\n');
        Assert.Equal("date,load,OT", rows[0].Trim());
        Assert.Equal(1 + 8, rows.Length);
        Assert.StartsWith(new DateTime(2021, 1, 1).AddHours(260).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), rows[1]);
        double ot = double.Parse(rows[1].Split(',')[2], CultureInfo.InvariantCulture);
        Assert.InRange(ot, 10, 30); // original units, not standardised

        string plot = Path.Combine(dir, "window.svg"), perWindow = Path.Combine(dir, "windows.csv");
        (code, stdout, err) = CliRunner.Run(null, "eval", "forecast", "--model", model, "--json", "--plot", plot, "--window", "3", "--column", "load",
            "--windows-csv", perWindow, "--windows-plot", perWindow + ".svg");
        Assert.True(code == 0, err);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(43, json.RootElement.GetProperty("windows").GetInt32());
            Assert.Equal(8, json.RootElement.GetProperty("mse_per_step").GetArrayLength());
            var windowLines = File.ReadAllLines(perWindow);
            Assert.Equal(1 + 43, windowLines.Length);
            double mean = windowLines.Skip(1).Average(l => double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture));
            Assert.Equal(json.RootElement.GetProperty("mse").GetDouble(), mean, 6);
        }
        Assert.Contains("dropped by drop_last 32", File.ReadAllText(perWindow + ".svg"));
        Assert.Contains("<svg", File.ReadAllText(plot));
        (code, stdout, err) = CliRunner.Run(null, "eval", "forecast", "--model", model, "--split", "valid");
        Assert.True(code == 0, err);
        Assert.Contains("drop_last", stdout);

        // the model with a repeat-last-value baseline of a shorter look-back, as a two-member ensemble
        string repeat = Path.Combine(dir, "repeat");
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", repeat, "--set", "model.kind=repeat", "--set", "model.lookback=12");
        Assert.True(code == 0, err);
        double Mse(params string[] models)
        {
            var (c, o, e) = CliRunner.Run(null, ["eval", "forecast", "--json", .. models.SelectMany(m => new[] { "--model", m })]);
            Assert.True(c == 0, e);
            using var doc = JsonDocument.Parse(o);
            Assert.Equal(models.Length == 1 ? 1 : models.Length, doc.RootElement.GetProperty("members").GetInt32());
            Assert.Equal(43, doc.RootElement.GetProperty("windows").GetInt32());
            return doc.RootElement.GetProperty("mse").GetDouble();
        }
        double both = Mse(model, Path.Combine(repeat, "model")), alone = Mse(model), baseline = Mse(Path.Combine(repeat, "model"));
        Assert.NotEqual(alone, both);
        Assert.True(both <= (alone + baseline) / 2 + 1e-9, $"{both} > mean of {alone} and {baseline}"); // MSE is convex
        (code, stdout, err) = CliRunner.Run(null, "forecast", "--model", model, "--model", Path.Combine(repeat, "model"), "--csv", csv);
        Assert.True(code == 0, err);
        Assert.Equal(1 + 8, stdout.Trim().Split('\n').Length);
    }

    [Fact]
    public void BacktestsOnSuccessiveTestPeriodsAndResumesWithoutRetraining()
    {
        string dir = CliRunner.TempDir();
        string csv = Csv(dir);
        string single = Path.Combine(dir, "single"), backtest = Path.Combine(dir, "backtest");
        var (code, stdout, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", single, "--json");
        Assert.True(code == 0, err);
        double singleMse;
        using (var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]))
            singleMse = json.RootElement.GetProperty("test_mse").GetDouble();

        (code, stdout, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", backtest, "--folds", "2", "--json");
        Assert.True(code == 0, err);
        string summary = File.ReadAllText(Path.Combine(backtest, "backtest.json"));
        using (var json = JsonDocument.Parse(summary))
        {
            var folds = json.RootElement.GetProperty("folds").EnumerateArray().ToList();
            Assert.Equal(2, folds.Count);
            // 160 / 50 / 50 rows: fold 1 trains on [0, 110), validates on [110, 160) and tests on [160, 210)
            Assert.Equal([0, 110], folds[0].GetProperty("train_rows").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([160, 210], folds[0].GetProperty("test_rows").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([210, 260], folds[1].GetProperty("test_rows").EnumerateArray().Select(e => e.GetInt32()));
            var mse = folds.Select(f => f.GetProperty("results").GetProperty("test_mse").GetDouble()).ToArray();
            Assert.Equal(singleMse, mse[1]); // the last fold is the config's own split, trained the same way
            Assert.NotEqual(mse[0], mse[1]);
            Assert.Equal(mse.Average(), json.RootElement.GetProperty("test_mse").GetProperty("mean").GetDouble(), 12);
            var vsRepeat = folds.Select(f => f.GetProperty("results").GetProperty("test_mse_vs_repeat").GetDouble()).ToArray();
            Assert.All(vsRepeat, v => Assert.InRange(v, 0.001, 10));
            Assert.Equal(vsRepeat.Average(), json.RootElement.GetProperty("test_mse_vs_repeat").GetProperty("mean").GetDouble(), 12);
        }
        var written = Directory.GetFiles(backtest, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("backtest.json", StringComparison.Ordinal))
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Contains(written.Keys, f => f.Contains(Path.Combine("fold-1", "model"), StringComparison.Ordinal));

        // resuming a finished backtest trains nothing again: no fold file is rewritten, and the summary is the same
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", backtest, "--folds", "2", "--resume");
        Assert.True(code == 0, err);
        Assert.All(written, p => Assert.Equal(p.Value, File.GetLastWriteTimeUtc(p.Key)));
        Assert.Equal(summary, File.ReadAllText(Path.Combine(backtest, "backtest.json")));

        // a finished fold is not reused for a changed config
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", backtest, "--folds", "2", "--resume",
            "--set", "model.moving_avg=7");
        Assert.Equal(2, code);
        Assert.Contains(Path.Combine("fold-1", "config.json"), err);
        Assert.Contains("another config", err);

        // a finished backtest is not overwritten without --resume
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", backtest, "--folds", "2");
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", err);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(backtest, "backtest.json")));

        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", Path.Combine(dir, "four"), "--folds", "4");
        Assert.Equal(2, code);
        Assert.Contains("--folds 4", err);
        Assert.Contains("use at most 3 folds", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MistakesAreOneLineErrors()
    {
        string dir = CliRunner.TempDir();
        string csv = Csv(dir);
        var lines = File.ReadAllLines(csv);
        lines[7] = lines[7].Replace(",", ",x", StringComparison.Ordinal);
        string bad = Path.Combine(dir, "bad.csv");
        File.WriteAllLines(bad, lines);
        var (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, bad), "--out", Path.Combine(dir, "r1"));
        Assert.Equal(2, code);
        Assert.Contains("bad.csv", err);
        Assert.Contains("bad.csv:8:", err);
        Assert.DoesNotContain("   at ", err);
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", Path.Combine(dir, "r2"), "--set", "model.kind=arima");
        Assert.Equal(2, code);
        Assert.Contains("model.kind", err);
        (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", Config(dir, csv), "--out", Path.Combine(dir, "r3"), "--set", "model.kind=repeat");
        Assert.Equal(0, code);
        (code, _, err) = CliRunner.Run(null, "forecast", "--model", Path.Combine(dir, "r3", "model"), "--csv", csv, "--at", "5");
        Assert.Equal(2, code);
        Assert.Contains("--at 5", err);
        (code, _, err) = CliRunner.Run(null, "eval", "forecast", "--model", Path.Combine(dir, "r3", "model"), "--plot", Path.Combine(dir, "p.svg"), "--window", "999");
        Assert.Equal(2, code);
        Assert.Contains("--window 999", err);
    }
}
