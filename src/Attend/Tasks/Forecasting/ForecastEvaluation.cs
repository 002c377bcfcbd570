// Forecast errors on standardised values, as the long-horizon literature reports them: MSE and MAE over every window,
// step and series of a part, plus the same over only the windows a batch-size-32 loader with drop_last keeps (the
// published ETT tables were computed that way, so both are given and named). Per-step, per-series and per-window
// errors show where the error grows, and which windows carry it.
using Attend.Autograd;
using Attend.Data;
using Attend.Models;

namespace Attend.Tasks.Forecasting;

/// <summary>Errors of a forecaster over a part's windows.</summary>
public sealed record ForecastScores(int Windows, double Mse, double Mae, int KeptWindows, double MseDropLast, double MaeDropLast,
    double[] MsePerStep, double[] MaePerStep, double[] MsePerSeries, double[] MsePerWindow, double[] MaePerWindow)
{
    public double Rmse => Math.Sqrt(Mse);
}

/// <summary>Evaluates forecasters.</summary>
public static class ForecastEvaluation
{
    /// <summary>Scores <paramref name="model"/> (switched to eval mode) on <paramref name="windows"/> of <paramref name="data"/>.</summary>
    public static ForecastScores Evaluate(Forecaster model, ForecastData data, TimeSeriesWindows windows, int dropLastBatch = 32, int batchSize = 256)
    {
        if (windows.Count == 0) throw new ArgumentException("no windows to evaluate");
        model.Eval();
        using var _ = GradMode.Off();
        int h = data.Horizon, c = data.Channels, kept = windows.Count / dropLastBatch * dropLastBatch;
        var sqStep = new double[h];
        var absStep = new double[h];
        var sqSeries = new double[c];
        var sqWindow = new double[windows.Count];
        var absWindow = new double[windows.Count];
        double sqKept = 0, absKept = 0;
        for (int from = 0; from < windows.Count; from += batchSize)
        {
            var starts = windows.Starts.AsSpan(from, Math.Min(batchSize, windows.Count - from)).ToArray();
            var (x, y) = data.Batch(starts);
            var p = model.Forward(x).Data;
            for (int i = 0; i < starts.Length; i++)
            {
                bool inKept = from + i < kept;
                for (int s = 0; s < h; s++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int k = (i * h + s) * c + ch;
                        double e = p[k] - y.Data[k];
                        sqStep[s] += e * e;
                        absStep[s] += Math.Abs(e);
                        sqSeries[ch] += e * e;
                        sqWindow[from + i] += e * e;
                        absWindow[from + i] += Math.Abs(e);
                        if (inKept)
                        {
                            sqKept += e * e;
                            absKept += Math.Abs(e);
                        }
                    }
            }
        }
        double n = (double)windows.Count * h * c, nKept = (double)kept * h * c;
        return new ForecastScores(windows.Count, sqStep.Sum() / n, absStep.Sum() / n, kept,
            kept > 0 ? sqKept / nKept : double.NaN, kept > 0 ? absKept / nKept : double.NaN,
            sqStep.Select(v => v / ((double)windows.Count * c)).ToArray(), absStep.Select(v => v / ((double)windows.Count * c)).ToArray(),
            sqSeries.Select(v => v / ((double)windows.Count * h)).ToArray(),
            sqWindow.Select(v => v / ((double)h * c)).ToArray(), absWindow.Select(v => v / ((double)h * c)).ToArray());
    }

    /// <summary>The forecast of one window in original units: (H, C) rows, and the look-back and truth around it.</summary>
    public static (float[] History, float[] Truth, float[] Forecast) Window(Forecaster model, ForecastData data, int start)
    {
        model.Eval();
        using var _ = GradMode.Off();
        var (x, y) = data.Batch([start]);
        var forecast = data.Scaler.Inverse(model.Forward(x).Data);
        return (data.Scaler.Inverse(x.Data), data.Scaler.Inverse(y.Data), forecast);
    }
}
