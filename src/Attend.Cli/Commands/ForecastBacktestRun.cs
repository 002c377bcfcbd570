// `attend train forecast --folds K`: a rolling-origin backtest (Tasks/Forecasting/ForecastBacktest.cs). Each fold is
// an ordinary run in DIR/fold-k, interruptible and resumable like one; on --resume a fold that already wrote its
// results.json is not trained again. DIR/backtest.json (written atomically) holds each fold's rows, dates and results,
// and the mean, sample standard deviation, minimum and maximum of each figure over the folds. Each fold standardises
// with its own training rows, so its MSE is on its own scale; the ratio to the repeat-last-value baseline's MSE on the
// same windows is the figure that compares across folds.
using Attend.Data;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Serialization;
using Attend.Tasks.Forecasting;
using Attend.Text.Corpora;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`attend train forecast`, and the folds of a backtest.</summary>
internal static class ForecastBacktestRun
{
    /// <summary>Creates `attend train forecast`: one run, or with --folds K a backtest.</summary>
    public static Command CreateTrain()
    {
        var folds = new Option<int>("--folds") { Description = "Backtest: train and score the config on K successive test periods (the split moved back a test block at a time; the last fold is the config's own split), in DIR/fold-1 .. fold-K." };
        return TrainVerb.Create(TrainCommand.Forecast, ctx =>
        {
            int k = ctx.Parse.GetValue(folds);
            Training.RunDirectory.Check(ctx.Dir, ctx.Resume, folds: k != 0);
            TrainVerb.Banner("forecast", ctx);
            if (k != 0) return Run(ctx.Console, ctx.Config, ctx.Dir, k, ctx.Resume, ctx.Json);
            var results = TrainVerb.TrainOne(TrainCommand.Forecast, ctx.Console, ctx.Config, ctx.Dir, ctx.Resume, out int code);
            if (results is not null && ctx.Json) Console.WriteLine(RunConfigFile.ResultsToJson(results, indented: false));
            return code;
        }, folds);
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Trains and scores every fold; returns the exit code (130 when interrupted).</summary>
    public static int Run(IAnsiConsole console, ForecastConfig cfg, string dir, int folds, bool resuming, bool json)
    {
        var dates = CsvSeries.Read(cfg.Data.Csv!, cfg.Data.DateColumn, cfg.Data.Columns).Dates;
        IReadOnlyList<BacktestFold> plan;
        try
        {
            plan = ForecastBacktest.Folds(cfg, dates.Length, folds);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException($"--folds {folds}: {e.Message}");
        }
        string Span(Data.RowRange r) => $"{Day(dates[r.Begin])} – {Day(dates[r.End - 1])}";
        var results = new List<ForecastResults>();
        foreach (var fold in plan)
        {
            string foldDir = Path.Combine(dir, $"fold-{fold.Index}");
            console.Write(new Rule(Markup.Escape($"fold {fold.Index}/{folds}: train {fold.Train}, valid {fold.Valid}, test {fold.Test}")).LeftJustified());
            string done = Path.Combine(foldDir, "results.json");
            if (resuming && File.Exists(done))
            {
                results.Add(ReadResults(done, foldDir, fold.Config));
                console.MarkupLine($"[grey]scored earlier: {Markup.Escape(done)}[/]");
                continue;
            }
            var res = TrainVerb.TrainOne(TrainCommand.Forecast, console, fold.Config, foldDir, resuming, out int code);
            if (res is null) return code;
            results.Add(res);
        }

        var summary = Summary(plan, results, Span);
        Text.AtomicFile.WriteAllText(Path.Combine(dir, "backtest.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        WriteTable(console, plan, results, Day, dates, cfg.Train.DropLastBatch);
        console.MarkupLine($"backtest: {Markup.Escape(Path.Combine(dir, "backtest.json"))}");
        if (json) Console.WriteLine(summary.ToJsonString());
        return 0;
    }

    private static readonly (string Name, Func<ForecastResults, double> Pick)[] Figures =
    [
        ("valid_mse", x => x.ValidMse), ("test_mse", x => x.TestMse), ("test_mae", x => x.TestMae),
        ("test_mse_drop_last", x => x.TestMseDropLast), ("test_mae_drop_last", x => x.TestMaeDropLast),
        ("test_mse_vs_repeat", x => x.TestMseVsRepeat),
    ];

    // backtest.json: each fold's rows, test dates and results; then each figure's mean, std, min and max
    private static JsonObject Summary(IReadOnlyList<BacktestFold> plan, List<ForecastResults> results, Func<Data.RowRange, string> span)
    {
        var summary = new JsonObject
        {
            ["folds"] = new JsonArray(plan.Zip(results).Select(p => (JsonNode)new JsonObject
            {
                ["fold"] = p.First.Index,
                ["train_rows"] = Rows(p.First.Train), ["valid_rows"] = Rows(p.First.Valid), ["test_rows"] = Rows(p.First.Test),
                ["test_dates"] = span(p.First.Test),
                ["results"] = JsonSerializer.SerializeToNode(p.Second, SnakeCase),
            }).ToArray()),
        };
        foreach (var (name, pick) in Figures)
            summary[name] = JsonSerializer.SerializeToNode(ForecastBacktest.Summarize(results.Select(pick).ToArray()), SnakeCase);
        return summary;
    }

    // one row per fold and the mean ± sd; narrow enough for 80 columns (MAE and the whole test period are in the JSON)
    private static void WriteTable(IAnsiConsole console, IReadOnlyList<BacktestFold> plan, List<ForecastResults> results,
        Func<DateTime, string> day, DateTime[] dates, int dropLastBatch)
    {
        var table = new Table().AddColumns("fold", "test from", "valid MSE", "test MSE", $"drop_last {dropLastBatch}", "÷ repeat", "updates");
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        foreach (var (fold, res) in plan.Zip(results))
            table.AddRow(fold.Index.ToString(CultureInfo.InvariantCulture), day(dates[fold.Test.Begin]), F(res.ValidMse), F(res.TestMse),
                F(res.TestMseDropLast), F(res.TestMseVsRepeat), res.Steps.ToString("N0", CultureInfo.InvariantCulture));
        string Mean(Func<ForecastResults, double> pick) => F(ForecastBacktest.Summarize(results.Select(pick).ToArray()).Mean);
        string Std(Func<ForecastResults, double> pick) => "± " + F(ForecastBacktest.Summarize(results.Select(pick).ToArray()).Std);
        table.AddRow("mean", "", Mean(x => x.ValidMse), Mean(x => x.TestMse), Mean(x => x.TestMseDropLast), $"[bold]{Mean(x => x.TestMseVsRepeat)}[/]", "");
        table.AddRow("sd", "", Std(x => x.ValidMse), Std(x => x.TestMse), Std(x => x.TestMseDropLast), Std(x => x.TestMseVsRepeat), "");
        console.Write(table);
    }

    private static JsonArray Rows(Data.RowRange r) => [r.Begin, r.End];

    private static string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // the "results" object of a finished fold's results.json (ForecastRun.Evaluate), refused when the fold was trained
    // with another config (a --set changed since) or by a version without every figure
    private static ForecastResults ReadResults(string path, string foldDir, ForecastConfig config)
    {
        string configPath = Path.Combine(foldDir, "config.json");
        if (!File.Exists(configPath) || File.ReadAllText(configPath) != RunConfigFile.ToJson(config))
            throw new DataFormatException(configPath, 0, "this fold was trained with another config; run without --resume, or delete the fold, to train it again");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var results = doc.RootElement.GetProperty("results");
            if (!results.TryGetProperty("test_mse_vs_repeat", out _)) throw new KeyNotFoundException("no test_mse_vs_repeat");
            return results.Deserialize<ForecastResults>(SnakeCase) ?? throw new DataFormatException(path, 0, "results is null");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DataFormatException(path, 0, $"not a results.json of `attend train forecast` ({e.Message}); delete it to train the fold again");
        }
    }
}
