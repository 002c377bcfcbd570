// Draws one window's forecast against the truth, with the look-back before it, for one series, in original units.
using System.Globalization;
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
        return new SvgLineChart($"{model.Config.Kind}: {name} from {when} (row {start + l})", "step (0 = first forecast step)", name)
            .Series("look-back", Steps(-l, l), Pick(history, l))
            .Series("truth", Steps(0, h), Pick(truth, h))
            .Series("forecast", Steps(0, h), Pick(forecast, h))
            .ToSvg();
    }
}
