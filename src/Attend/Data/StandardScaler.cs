// Per-column standardisation (sklearn StandardScaler): mean and population standard deviation fitted on chosen rows
// only — the training rows, so that nothing of validation or test leaks into the inputs — then applied everywhere. A
// constant column gets scale 1, as in sklearn.
namespace Attend.Data;

/// <summary>z = (x − mean) / std per column of a row-major (rows, columns) matrix.</summary>
public sealed record StandardScaler(float[] Mean, float[] Std)
{
    /// <summary>Number of columns.</summary>
    public int Columns => Mean.Length;

    /// <summary>Fits on rows <paramref name="fitRows"/> of <paramref name="values"/> (rows × columns).</summary>
    public static StandardScaler Fit(ReadOnlySpan<float> values, int columns, RowRange fitRows)
    {
        if (columns < 1 || values.Length % columns != 0) throw new ArgumentException($"{values.Length} values do not form rows of {columns} columns");
        int rows = values.Length / columns;
        if (fitRows.Begin < 0 || fitRows.End > rows || fitRows.Length < 1) throw new ArgumentException($"fit rows {fitRows} are outside the {rows} rows");
        var mean = new double[columns];
        var sq = new double[columns];
        for (int r = fitRows.Begin; r < fitRows.End; r++)
            for (int c = 0; c < columns; c++) mean[c] += values[r * columns + c];
        for (int c = 0; c < columns; c++) mean[c] /= fitRows.Length;
        for (int r = fitRows.Begin; r < fitRows.End; r++)
            for (int c = 0; c < columns; c++)
            {
                double d = values[r * columns + c] - mean[c];
                sq[c] += d * d;
            }
        var std = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double s = Math.Sqrt(sq[c] / fitRows.Length);
            std[c] = s > 0 ? (float)s : 1f;
        }
        return new StandardScaler(mean.Select(m => (float)m).ToArray(), std);
    }

    /// <summary>A scaled copy of <paramref name="values"/> (rows × columns).</summary>
    public float[] Transform(ReadOnlySpan<float> values) => Map(values, (v, c) => (v - Mean[c]) / Std[c]);

    /// <summary>Undoes <see cref="Transform"/>.</summary>
    public float[] Inverse(ReadOnlySpan<float> values) => Map(values, (v, c) => v * Std[c] + Mean[c]);

    private float[] Map(ReadOnlySpan<float> values, Func<float, int, float> f)
    {
        if (values.Length % Columns != 0) throw new ArgumentException($"{values.Length} values do not form rows of {Columns} columns");
        var y = new float[values.Length];
        for (int i = 0; i < y.Length; i++) y[i] = f(values[i], i % Columns);
        return y;
    }
}
