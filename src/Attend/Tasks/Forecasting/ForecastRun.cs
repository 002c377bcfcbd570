// Builds a forecasting run from its config: reads and splits the series, fits the scaler on the training rows, builds
// the forecaster, the task, Adam and the schedule. Naive baselines have nothing to train and are exported as they are.
// After training, Evaluate reloads the best model, scores it on validation and test (all windows and with the
// batch-32 drop_last quirk), divides its test MSE by the repeat-last-value baseline's on the same windows (a
// scale-free figure: standardised MSEs of runs with different scalers, such as backtest folds, do not compare), draws
// a test window (plot.svg) and writes results.json.
using System.Text.Json;
using Attend.Models;
using Attend.Reporting;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Training;

namespace Attend.Tasks.Forecasting;

/// <summary>Scores of a finished run (MSE/MAE on standardised values).</summary>
public sealed record ForecastResults(ForecasterKind Kind, int Lookback, int Horizon, int Channels, long Parameters, long Steps, double TrainSeconds,
    double ValidMse, double TestMse, double TestMae, int TestWindows, double TestMseDropLast, double TestMaeDropLast, int TestWindowsKept,
    double TestMseVsRepeat);

/// <summary>A prepared forecasting run: its config, directory, data, model and trainer (null for a baseline without parameters).</summary>
public sealed record ForecastRun(ForecastConfig Config, string RunDir, ForecastData Data, Forecaster Model, Trainer? Trainer) : IRun<ForecastResults>
{
    /// <summary>Reads the data and builds everything.</summary>
    public static ForecastRun Prepare(ForecastConfig config, string runDir, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var m = config.Model;
        ForecastData data;
        try
        {
            data = ForecastData.Load(config.Data, m.Lookback, m.Horizon);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(config.Data.Csv!, 0, e.Message);
        }
        if (m.Channels != 0 && m.Channels != data.Channels)
            throw new DataFormatException("config", 0, $"model.channels is {m.Channels} but data.columns selects {data.Channels} columns");
        var modelConfig = m with { Channels = data.Channels };
        var model = TrainingBudget.Build(() => Forecaster.Create(modelConfig, new Rng((ulong)config.Seed)));
        log($"{data.Series.Rows:N0} rows × {data.Channels} series ({string.Join(", ", data.Series.Columns)}) from {config.Data.Csv}; " +
            $"train rows {data.Split.Train}, validation {data.Split.Valid}, test {data.Split.Test}");
        log($"{data.Train.Count:N0} training, {data.Valid.Count:N0} validation and {data.Test.Count:N0} test windows of {m.Lookback} → {m.Horizon}; {Text.SnakeCaseEnums.Name(m.Kind)} with {model.ParameterCount():N0} parameters");
        if (!model.Trainable) return new ForecastRun(config, runDir, data, model, null);

        var task = new ForecastTask(model, data, config.Data, config.Optim.BatchSize, config.Seed, config.Optim.Loss, config.Optim.HuberDelta);
        return new ForecastRun(config, runDir, data, model, TrainerSetup.Create(task, config.Optim, config.Train, config.Seed));
    }

    /// <summary>Exports a baseline (nothing to train) as the run's model.</summary>
    public void ExportUntrained() => ForecastModel.Save(Path.Combine(RunDir, "model"), Model, Data, Config.Data);

    /// <summary>Scores the best model on validation and test; writes results.json and plot.svg.</summary>
    public ForecastResults Evaluate(TrainingResult? training)
    {
        var best = ForecastModel.Load(Path.Combine(RunDir, "model")).Model;
        var t = Config.Train;
        var valid = ForecastEvaluation.Evaluate(best, Data, Data.Valid, t.DropLastBatch);
        var test = ForecastEvaluation.Evaluate(best, Data, Data.Test, t.DropLastBatch);
        var repeat = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = Data.Channels, Lookback = Data.Lookback, Horizon = Data.Horizon }, new Rng(1));
        var repeatTest = ForecastEvaluation.Evaluate(repeat, Data, Data.Test, t.DropLastBatch);
        var results = new ForecastResults(best.Config.Kind, Data.Lookback, Data.Horizon, Data.Channels, best.ParameterCount(), training?.Steps ?? 0,
            training?.Seconds ?? 0, Round(valid.Mse), Round(test.Mse), Round(test.Mae), test.Windows, Round(test.MseDropLast), Round(test.MaeDropLast), test.KeptWindows,
            Round(test.Mse / repeatTest.Mse));
        RunConfigFile.WriteResults(RunDir, new
        {
            results,
            test_mse_per_step = test.MsePerStep.Select(Round),
            test_mse_per_series = Data.Series.Columns.Zip(test.MsePerSeries.Select(Round)).ToDictionary(p => p.First, p => p.Second),
        });
        int window = Math.Min(t.PlotWindow, Data.Test.Count - 1);
        int column = t.PlotColumn is null ? Data.Channels - 1 : Data.Series.ColumnIndex(t.PlotColumn);
        Text.AtomicFile.WriteAllText(Path.Combine(RunDir, "plot.svg"), ForecastPlot.Svg(best, Data, Data.Test.Starts[window], column));
        return results;
    }

    private static double Round(double v) => Math.Round(v, 4);
}
