// A forecasting dataset: the chosen columns of a CSV series, standardised with statistics of the training rows only,
// a chronological train/validation/test split and, for each part, every window of L look-back rows followed by H
// target rows (TimeSeriesWindows with sequence length L + H and stride 1, as the ETT benchmark code builds them).
using Attend.Data;
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Tasks.Forecasting;

/// <summary>A scaled series with its split and windows.</summary>
public sealed class ForecastData
{
    private ForecastData(CsvSeriesData series, ChronologicalSplit split, StandardScaler scaler, int lookback, int horizon)
    {
        Series = series;
        Split = split;
        Scaler = scaler;
        Lookback = lookback;
        Horizon = horizon;
        Scaled = scaler.Transform(series.Values);
        Train = Windows(split.Train);
        Valid = Windows(split.Valid);
        Test = Windows(split.Test);
    }

    /// <summary>The series as read (original units), rows × columns.</summary>
    public CsvSeriesData Series { get; }
    public ChronologicalSplit Split { get; }
    /// <summary>Fitted on the training rows.</summary>
    public StandardScaler Scaler { get; }
    /// <summary>The standardised values, rows × columns.</summary>
    public float[] Scaled { get; }
    public int Lookback { get; }
    public int Horizon { get; }
    public int Channels => Series.Columns.Length;
    public TimeSeriesWindows Train { get; }
    public TimeSeriesWindows Valid { get; }
    public TimeSeriesWindows Test { get; }

    /// <summary>Reads the CSV named by <paramref name="config"/> and splits it.</summary>
    public static ForecastData Load(ForecastDataConfig config, int lookback, int horizon)
    {
        var series = CsvSeries.Read(config.Csv!, config.DateColumn, config.Columns);
        return Create(series, SplitOf(config, series.Rows, lookback), lookback, horizon);
    }

    /// <summary>The split a data config asks for: its row counts, or 70 / 10 / 20 % of the rows.</summary>
    public static ChronologicalSplit SplitOf(ForecastDataConfig config, int rows, int lookback) => config.TrainRows > 0
        ? ChronologicalSplit.ByRows(rows, config.TrainRows, config.ValidRows, config.TestRows, lookback)
        : ChronologicalSplit.ByFractions(rows, 0.7, 0.2, lookback);

    /// <summary>Splits <paramref name="series"/>; the scaler is fitted on the training rows unless one is given (a trained model's).</summary>
    public static ForecastData Create(CsvSeriesData series, ChronologicalSplit split, int lookback, int horizon, StandardScaler? scaler = null)
    {
        if (lookback < 1 || horizon < 1) throw new ArgumentException($"look-back ({lookback}) and horizon ({horizon}) must be positive");
        scaler ??= StandardScaler.Fit(series.Values, series.Columns.Length, split.Train);
        if (scaler.Columns != series.Columns.Length) throw new ArgumentException($"the scaler has {scaler.Columns} columns, the series {series.Columns.Length}");
        var data = new ForecastData(series, split, scaler, lookback, horizon);
        foreach (var (name, w) in new[] { ("training", data.Train), ("validation", data.Valid), ("test", data.Test) })
            if (w.Count == 0) throw new ArgumentException($"the {name} part has no window of {lookback} + {horizon} rows; shorten the look-back or horizon");
        return data;
    }

    /// <summary>Every window (L + H rows, stride 1) inside <paramref name="part"/>.</summary>
    public TimeSeriesWindows Windows(RowRange part) =>
        TimeSeriesWindows.Create(Series.Rows, Lookback + Horizon, startIndex: part.Begin, endIndex: part.End);

    /// <summary>Inputs x (B, L, C) = rows [s, s + L) and targets y (B, H, C) = rows [s + L, s + L + H) for each start s.</summary>
    public (Tensor X, Tensor Y) Batch(IReadOnlyList<int> starts)
    {
        int c = Channels, b = starts.Count;
        var x = new float[b * Lookback * c];
        var y = new float[b * Horizon * c];
        for (int i = 0; i < b; i++)
        {
            Scaled.AsSpan(starts[i] * c, Lookback * c).CopyTo(x.AsSpan(i * Lookback * c));
            Scaled.AsSpan((starts[i] + Lookback) * c, Horizon * c).CopyTo(y.AsSpan(i * Horizon * c));
        }
        return (new Tensor(x, new Shape(b, Lookback, c)), new Tensor(y, new Shape(b, Horizon, c)));
    }
}
