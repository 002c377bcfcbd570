// The errors of each window of a part, as CSV: which windows carry the error. A window is named by its index in the
// part, the 0-based data row of its first target (the row `attend forecast --at` takes) and the dates its targets
// span; `kept` says whether the drop_last loader the scores were computed for would score it.
using System.Globalization;
using System.Text;
using Attend.Data;

namespace Attend.Tasks.Forecasting;

/// <summary>Per-window errors written as CSV.</summary>
public static class ForecastWindowErrors
{
    /// <summary>The CSV header.</summary>
    public const string Header = "window,first_target_row,first_target_date,last_target_date,mse,mae,kept";

    /// <summary>One line per window of <paramref name="windows"/>, scored in <paramref name="scores"/>.</summary>
    public static string Csv(ForecastData data, TimeSeriesWindows windows, ForecastScores scores)
    {
        if (scores.MsePerWindow.Length != windows.Count)
            throw new ArgumentException($"the scores have {scores.MsePerWindow.Length} windows, the part {windows.Count}");
        var dates = data.Series.Dates;
        var sb = new StringBuilder(Header).Append('\n');
        for (int w = 0; w < windows.Count; w++)
        {
            int first = windows.Starts[w] + data.Lookback, last = first + data.Horizon - 1;
            sb.Append(CultureInfo.InvariantCulture, $"{w},{first},{Date(dates[first])},{Date(dates[last])},")
              .Append(CultureInfo.InvariantCulture, $"{scores.MsePerWindow[w]:G9},{scores.MaePerWindow[w]:G9},{(w < scores.KeptWindows ? 1 : 0)}\n");
        }
        return sb.ToString();
    }

    private static string Date(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
