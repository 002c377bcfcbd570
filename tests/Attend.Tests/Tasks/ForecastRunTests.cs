// A forecasting run end to end on a small CSV: config errors name their key, a trained model reloads with identical
// forecasts, scores count windows and the drop_last subset correctly, a damaged model directory names the field, and
// model directories load as an ensemble (refusing a member of another horizon or scaler).
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Serialization;
using Attend.Tasks.Forecasting;
using Attend.Tensors;
using Attend.Tests.Models;
using Attend.Text.Corpora;

namespace Attend.Tests.Tasks;

public class ForecastRunTests
{
    private static string Dir() => Directory.CreateTempSubdirectory("attend-forecast-").FullName;

    private static string WriteCsv(string dir)
    {
        var s = ForecasterTests.NoisySine(300);
        var lines = new List<string> { "date,a,b" };
        for (int r = 0; r < s.Rows; r++)
            lines.Add($"{s.Dates[r]:yyyy-MM-dd HH:mm:ss},{s[r, 0].ToString(System.Globalization.CultureInfo.InvariantCulture)},{s[r, 1].ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        string path = Path.Combine(dir, "sine.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static ForecastConfig Config(string csv, string kind = "dlinear") => new()
    {
        Seed = 3,
        Data = new ForecastDataConfig { Csv = csv, TrainRows = 200, ValidRows = 50, TestRows = 50 },
        Model = new ForecasterConfig { Kind = Enum.Parse<ForecasterKind>(kind, ignoreCase: true), Lookback = 24, Horizon = 6, MovingAverage = 5 },
        Optim = new ForecastOptimConfig { Lr = 3e-3f, BatchSize = 16 },
        Train = new ForecastTrainConfig { MaxEpochs = 3, Threads = 1 },
    };

    [Fact]
    public void ATrainedModelReloadsWithIdenticalForecasts()
    {
        string dir = Dir();
        var run = ForecastRun.Prepare(Config(WriteCsv(dir)), Path.Combine(dir, "run"));
        var training = run.Trainer!.Run(run.RunDir, resume: false);
        var results = run.Evaluate(training);
        Assert.Equal(50 - 6 + 1, results.TestWindows);      // test rows [200 + 50 − 24, 300): 74 rows − 24 − 6 + 1 windows
        Assert.Equal(32, results.TestWindowsKept);           // one full batch of 32
        var loaded = ForecastModel.Load(Path.Combine(run.RunDir, "model"));
        Assert.Equal(["a", "b"], loaded.Columns);
        Assert.Equal(run.Data.Scaler.Mean, loaded.Scaler.Mean);
        var again = ForecastEvaluation.Evaluate(loaded.Model, run.Data, run.Data.Test);
        Assert.Equal(results.TestMse, Math.Round(again.Mse, 4));
        var repeat = ForecastEvaluation.Evaluate(Forecaster.Create(loaded.Model.Config with { Kind = ForecasterKind.Repeat }, new Rng(1)), run.Data, run.Data.Test);
        Assert.Equal(Math.Round(again.Mse / repeat.Mse, 4), results.TestMseVsRepeat);
        Assert.True(File.Exists(Path.Combine(run.RunDir, "plot.svg")));
        Assert.Contains("\"test_mse_per_step\"", File.ReadAllText(Path.Combine(run.RunDir, "results.json")));
    }

    [Fact]
    public void ABaselineIsExportedWithoutTraining()
    {
        string dir = Dir();
        var run = ForecastRun.Prepare(Config(WriteCsv(dir), "repeat"), Path.Combine(dir, "run"));
        Assert.Null(run.Trainer);
        run.ExportUntrained();
        var results = run.Evaluate(null);
        Assert.Equal(0, results.Steps);
        Assert.True(results.TestMse > 0);
        Assert.Equal(1, results.TestMseVsRepeat); // the repeat baseline against itself
    }

    [Fact]
    public void ConfigMistakesNameTheKey()
    {
        string dir = Dir();
        string csv = WriteCsv(dir);
        Assert.Contains("data.csv", new ForecastConfig().Problem());
        Assert.Contains("model.kind", (Config(csv) with { Model = new ForecasterConfig { Kind = (ForecasterKind)99 } }).Problem());
        Assert.Contains("data: give all", (Config(csv) with { Data = new ForecastDataConfig { Csv = csv, TrainRows = 10 } }).Problem());
        var e = Assert.Throws<DataFormatException>(() => ForecastRun.Prepare(Config(csv) with { Model = Config(csv).Model with { Channels = 3 } }, Path.Combine(dir, "r")));
        Assert.Contains("model.channels is 3", e.Message);
        string file = Path.Combine(dir, "bad.json");
        File.WriteAllText(file, """{ "task": "forecast", "data": { "csv": "x.csv", "rows": 3 } }""");
        var unknown = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<ForecastConfig>(file, []));
        Assert.Contains("data.rows", unknown.Message);
        File.WriteAllText(file, """{ "task": "forecast", "data": { "csv": "x.csv" }, "model": { "kind": "prophet" } }""");
        var kind = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<ForecastConfig>(file, []));
        Assert.Contains("model.kind", kind.Message);
        Assert.Contains("dlinear, patchtst", kind.Message);
    }

    [Fact]
    public void ADamagedModelDirectoryNamesTheField()
    {
        string dir = Dir();
        var run = ForecastRun.Prepare(Config(WriteCsv(dir), "repeat"), Path.Combine(dir, "run"));
        run.ExportUntrained();
        string config = Path.Combine(run.RunDir, "model", "config.json");
        var root = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        root["series"]!["std"] = JsonSerializer.SerializeToNode(new[] { 1f, 0f });
        File.WriteAllText(config, root.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => ForecastModel.Load(Path.Combine(run.RunDir, "model")));
        Assert.Contains("series.std", e.Message);
        root.Remove("series");
        File.WriteAllText(config, root.ToJsonString());
        Assert.Contains("'series'", Assert.Throws<DataFormatException>(() => ForecastModel.Load(Path.Combine(run.RunDir, "model"))).Message);
    }

    [Fact]
    public void ModelDirectoriesLoadAsAnEnsembleOfTheSameSeries()
    {
        string dir = Dir();
        string csv = WriteCsv(dir);
        var trained = ForecastRun.Prepare(Config(csv), Path.Combine(dir, "a"));
        trained.Evaluate(trained.Trainer!.Run(trained.RunDir, resume: false));
        var baseline = ForecastRun.Prepare(Config(csv, "repeat") with { Model = Config(csv, "repeat").Model with { Lookback = 12 } }, Path.Combine(dir, "b"));
        baseline.ExportUntrained();
        string a = Path.Combine(dir, "a", "model"), b = Path.Combine(dir, "b", "model");

        var ensemble = ForecastModel.Load([a, b]);
        var members = Assert.IsType<EnsembleForecaster>(ensemble.Model).Members;
        Assert.Equal(2, members.Length);
        Assert.Equal(24, ensemble.Model.Config.Lookback);
        var (x, _) = trained.Data.Batch([trained.Data.Test.Starts[0], trained.Data.Test.Starts[5]]);
        var pa = ForecastModel.Load(a).Model.Forward(x).Data;
        var tail = new Attend.Tensors.Tensor(x.Data.Chunk(24 * 2).SelectMany(w => w.Skip(12 * 2)).ToArray(), new Attend.Tensors.Shape(2, 12, 2));
        var pb = ForecastModel.Load(b).Model.Forward(tail).Data;
        var got = ensemble.Model.Forward(x).Data;
        for (int i = 0; i < got.Length; i++) Assert.Equal((pa[i] + pb[i]) / 2, got[i], 1e-5f);
        Assert.Same(ForecastModel.Load([a]).Model.GetType(), ForecastModel.Load(a).Model.GetType()); // one directory: no wrapper

        var other = ForecastRun.Prepare(Config(csv, "repeat") with { Model = Config(csv, "repeat").Model with { Horizon = 4 } }, Path.Combine(dir, "c"));
        other.ExportUntrained();
        var e = Assert.Throws<DataFormatException>(() => ForecastModel.Load([a, Path.Combine(dir, "c", "model")]));
        Assert.Contains("config.horizon", e.Message);
        Assert.Contains(Path.Combine(dir, "c", "model"), e.Message);
        var rescaled = ForecastRun.Prepare(Config(csv, "repeat") with { Data = Config(csv).Data with { TrainRows = 150, ValidRows = 100 } }, Path.Combine(dir, "d"));
        rescaled.ExportUntrained();
        Assert.Contains("scaler differs", Assert.Throws<DataFormatException>(() => ForecastModel.Load([a, Path.Combine(dir, "d", "model")])).Message);
    }
}
