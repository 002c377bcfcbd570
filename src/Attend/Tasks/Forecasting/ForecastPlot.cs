// Draws one window's forecast against the truth, with the look-back before it, for one series, in original units; and
// the MSE of every window of a part along its first target row, which shows where in time the error sits.
using System.Globalization;
using Attend.Data;
using Attend.Models;
using Attend.Reporting;

namespace Attend.Tasks.Forecasting;

/// <summary>Forecast-versus-truth charts.</summary>
public static class ForecastPlot
{
    /// <summary>An SVG chart of the window starting at row <paramref name="start"/>, series <paramref name="column"/>.</summary>
    public static string Svg(Forecaster model, ForecastData data, int start, int column)
    {
        var (history, truth, forecast) = ForecastEvaluation.Window(model, data, start);
        int c = data.Channels, l = data.Lookback, h = data.Horizon;
        double[] Pick(float[] rows, int n) => Enumerable.Range(0, n).Select(i => (double)rows[i * c + column]).ToArray();
        double[] Steps(int from, int n) => Enumerable.Range(from, n).Select(i => (double)i).ToArray();
        string name = data.Series.Columns[column];
        string when = data.Series.Dates[start + l].ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new SvgLineChart($"{Text.SnakeCaseEnums.Name(model.Config.Kind)}: {name} from {when} (row {start + l})", "step (0 = first forecast step)", name)
            .Series("look-back", Steps(-l, l), Pick(history, l))
            .Series("truth", Steps(0, h), Pick(truth, h))
            .Series("forecast", Steps(0, h), Pick(forecast, h))
            .ToSvg();
    }

    /// <summary>An SVG chart of each window's MSE against its first target row; the windows the drop_last loader of the
    /// scores (batch <paramref name="dropLastBatch"/>, for the legend) skips are drawn as a second series.</summary>
    public static string WindowErrorsSvg(string title, ForecastData data, TimeSeriesWindows windows, ForecastScores scores, int dropLastBatch)
    {
        int kept = scores.KeptWindows;
        double[] Rows(int from, int to) => Enumerable.Range(from, to - from).Select(w => (double)(windows.Starts[w] + data.Lookback)).ToArray();
        var chart = new SvgLineChart(title, "first target row of the window", "window MSE (standardised)")
            .Series($"scored by drop_last {dropLastBatch}", Rows(0, kept), scores.MsePerWindow[..kept]);
        if (kept < windows.Count)
            chart.Series($"dropped by drop_last {dropLastBatch}", Rows(kept, windows.Count), scores.MsePerWindow[kept..]);
        return chart.ToSvg();
    }
}
