// Forecasting verbs:
//   attend forecast --model DIR [--model DIR2 ...] --csv F [--at ROW] [--out F.csv]   the H rows after the look-back ending before ROW
//       (default: after the last row, i.e. the future), in original units, as CSV
//   attend eval forecast --model DIR [--model DIR2 ...] [--csv F] [--split test|valid] [--plot F.svg --window I --column NAME]
//       [--windows-csv F] [--windows-plot F.svg] [--json]
using Attend.Data;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Kernels;
using Attend.Models;
using Attend.Serialization;
using Attend.Tasks.Forecasting;
using Attend.Text.Corpora;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`forecast` and `eval forecast` (`train forecast`: ForecastBacktestRun).</summary>
public static class ForecastCommands
{
    /// <summary>Creates `attend forecast`.</summary>
    public static Command CreateForecast()
    {
        var model = ModelOption();
        var csv = new Option<string>("--csv") { Description = "CSV series with the model's date column and columns.", Required = true };
        var at = new Option<int?>("--at") { Description = "Forecast the rows from this 0-based data row on, from the look-back before it (default: after the last row)." };
        var output = new Option<string?>("--out") { Description = "Write the forecast CSV here (default: standard output)." };
        var cmd = new Command("forecast", "Forecast the next H rows of a CSV series with a trained model; prints CSV in original units.") { model, csv, at, output };
        cmd.SetAction(r =>
        {
            var fm = ForecastModel.Load(r.GetValue(model)!);
            var series = CsvSeries.Read(r.GetValue(csv)!, fm.Data.DateColumn, fm.Columns);
            int l = fm.Model.Config.Lookback, h = fm.Model.Config.Horizon, c = fm.Columns.Length;
            int from = r.GetValue(at) ?? series.Rows;
            if (from < l || from > series.Rows)
                throw new UserErrorException($"--at {from}: the look-back needs {l} rows before it, within the {series.Rows} rows of {r.GetValue(csv)}");
            var window = fm.Scaler.Transform(series.Values.AsSpan((from - l) * c, l * c));
            using var _ = Autograd.GradMode.Off();
            var forecast = fm.Scaler.Inverse(fm.Model.Forward(new Tensors.Tensor(window, new Tensors.Shape(1, l, c))).Data);
            var dates = FutureDates(series.Dates, from, h);
            var sb = new StringBuilder().Append(fm.Data.DateColumn).Append(',').AppendJoin(',', fm.Columns).Append('\n');
            for (int s = 0; s < h; s++)
            {
                sb.Append(dates[s].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                for (int ch = 0; ch < c; ch++) sb.Append(',').Append(forecast[s * c + ch].ToString("G7", CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
            if (r.GetValue(output) is { } outPath) Text.AtomicFile.WriteAllText(outPath, sb.ToString());
            else Console.Write(sb.ToString());
            return 0;
        });
        return cmd;
    }

    /// <summary>Creates `attend eval forecast`.</summary>
    public static Command CreateEval()
    {
        var model = ModelOption();
        var csv = new Option<string?>("--csv") { Description = "CSV series (default: the one the model was trained on)." };
        var split = new Option<string>("--split") { Description = "Windows to score: test or valid.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "valid");
        var dropLast = new Option<int>("--drop-last-batch") { Description = "Also report over the windows a drop_last loader of this batch size keeps.", DefaultValueFactory = _ => 32 };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG of one window's forecast against the truth." };
        var window = new Option<int>("--window") { Description = "Window index (0-based) of the split to plot." };
        var column = new Option<string?>("--column") { Description = "Series to plot (default: the last column)." };
        var windowsCsv = new Option<string?>("--windows-csv") { Description = "Write each window's MSE and MAE, with its target rows and dates, as CSV." };
        var windowsPlot = new Option<string?>("--windows-plot") { Description = "Write an SVG of each window's MSE along the split." };
        var json = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var cmd = new Command("forecast", "MSE / MAE / RMSE of a forecaster on the validation or test windows (standardised values), per step and per series.")
            { model, csv, split, dropLast, plot, window, column, windowsCsv, windowsPlot, json };
        cmd.SetAction(r =>
        {
            var fm = ForecastModel.Load(r.GetValue(model)!);
            if (r.GetValue(dropLast) < 1) throw new UserErrorException("--drop-last-batch: expected at least 1");
            var dataConfig = fm.Data with { Csv = r.GetValue(csv) ?? fm.Data.Csv };
            var series = CsvSeries.Read(dataConfig.Csv!, dataConfig.DateColumn, fm.Columns);
            int l = fm.Model.Config.Lookback, h = fm.Model.Config.Horizon;
            ForecastData data;
            try
            {
                data = ForecastData.Create(series, ForecastData.SplitOf(dataConfig, series.Rows, l), l, h, fm.Scaler);
            }
            catch (ArgumentException e)
            {
                throw new UserErrorException($"{dataConfig.Csv}: {e.Message}");
            }
            var windows = r.GetValue(split) == "test" ? data.Test : data.Valid;
            var scores = ForecastEvaluation.Evaluate(fm.Model, data, windows, r.GetValue(dropLast));
            if (r.GetValue(plot) is { } plotPath)
            {
                int w = r.GetValue(window);
                if (w < 0 || w >= windows.Count) throw new UserErrorException($"--window {w}: the {r.GetValue(split)} split has windows 0..{windows.Count - 1}");
                string? name = r.GetValue(column);
                int col = name is null ? data.Channels - 1 : Array.IndexOf(fm.Columns, name);
                if (col < 0) throw new UserErrorException($"--column {name}: the model's columns are {string.Join(", ", fm.Columns)}");
                Text.AtomicFile.WriteAllText(plotPath, ForecastPlot.Svg(fm.Model, data, windows.Starts[w], col));
            }
            if (r.GetValue(windowsCsv) is { } windowsPath)
                Text.AtomicFile.WriteAllText(windowsPath, ForecastWindowErrors.Csv(data, windows, scores));
            if (r.GetValue(windowsPlot) is { } windowsPlotPath)
                Text.AtomicFile.WriteAllText(windowsPlotPath, ForecastPlot.WindowErrorsSvg(
                    $"{ModelName(fm)} {l} → {h}: MSE of each {r.GetValue(split)} window", data, windows, scores, r.GetValue(dropLast)));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    kind = fm.Model is EnsembleForecaster e ? "ensemble" : Text.SnakeCaseEnums.Name(fm.Model.Config.Kind),
                    members = fm.Model is EnsembleForecaster m ? m.Members.Length : 1, lookback = l, horizon = h, split = r.GetValue(split), windows = scores.Windows,
                    mse = scores.Mse, mae = scores.Mae, rmse = scores.Rmse, kept_windows = scores.KeptWindows,
                    mse_drop_last = scores.MseDropLast, mae_drop_last = scores.MaeDropLast,
                    mse_per_step = scores.MsePerStep, mae_per_step = scores.MaePerStep,
                    mse_per_series = fm.Columns.Zip(scores.MsePerSeries).ToDictionary(p => p.First, p => p.Second),
                }));
                return 0;
            }
            WriteTables(fm, scores, r.GetValue(split)!, r.GetValue(dropLast));
            return 0;
        });
        return cmd;
    }

    // --model DIR, repeatable: several directories forecast as one ensemble (their forecasts averaged)
    private static Option<string[]> ModelOption() => new("--model")
    {
        Description = "Forecaster directory (from attend train forecast); give it more than once to average an ensemble's forecasts.",
        Required = true,
    };

    // "patchtst", or "ensemble of 3"
    private static string ModelName(ForecastModel fm) => fm.Model is EnsembleForecaster e ? $"ensemble of {e.Members.Length}" : Text.SnakeCaseEnums.Name(fm.Model.Config.Kind);

    private static void WriteTables(ForecastModel fm, ForecastScores s, string split, int dropLast)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var cfg = fm.Model.Config;
        console.MarkupLine($"[bold]{Markup.Escape(ModelName(fm))}[/] {cfg.Lookback} → {cfg.Horizon}, {split} split, standardised values");
        var table = new Table().AddColumns("windows", "MSE", "MAE", "RMSE");
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        table.AddRow($"all {s.Windows:N0}", F(s.Mse), F(s.Mae), F(s.Rmse));
        table.AddRow($"{s.KeptWindows:N0} (drop_last, batch {dropLast})", F(s.MseDropLast), F(s.MaeDropLast), F(Math.Sqrt(s.MseDropLast)));
        console.Write(table);
        var steps = new Table().AddColumns("step", "MSE", "MAE");
        foreach (int step in new[] { 1, 6, 12, 24, 48, 96, 192, 336, 720 }.Where(k => k < cfg.Horizon).Append(cfg.Horizon))
            steps.AddRow(step.ToString(CultureInfo.InvariantCulture), F(s.MsePerStep[step - 1]), F(s.MaePerStep[step - 1]));
        console.Write(steps);
        var perSeries = new Table().AddColumns("series", "MSE");
        for (int i = 0; i < fm.Columns.Length; i++) perSeries.AddRow(Markup.Escape(fm.Columns[i]), F(s.MsePerSeries[i]));
        console.Write(perSeries);
    }

    // the dates of the forecast rows: those in the file while they last, then continuing the last interval
    private static DateTime[] FutureDates(DateTime[] dates, int from, int count)
    {
        var step = dates.Length >= 2 ? dates[^1] - dates[^2] : TimeSpan.FromHours(1);
        var result = new DateTime[count];
        for (int i = 0; i < count; i++)
            result[i] = from + i < dates.Length ? dates[from + i] : dates[^1] + step * (from + i - dates.Length + 1);
        return result;
    }
}
