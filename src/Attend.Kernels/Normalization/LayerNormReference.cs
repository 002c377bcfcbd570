// Naive double-precision layer norm forward and backward: the oracle for the fast kernels.
namespace Attend.Kernels.Normalization;

/// <summary>Reference layer norm, computed in double.</summary>
internal static class LayerNormReference
{
    /// <summary>x: (rows, cols), weight, bias: (cols) → y: (rows, cols).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int rows, int cols, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            var (mu, rs) = Statistics(row, eps);
            for (int j = 0; j < cols; j++) y[r * cols + j] = (float)((row[j] - mu) * rs * weight[j] + bias[j]);
        }
    }

    /// <summary>dy, x: (rows, cols), weight: (cols) → dx (overwritten): (rows, cols), dweight, dbias (overwritten): (cols).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int cols, float eps)
    {
        var dw = new double[cols];
        var db = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            var (mu, rs) = Statistics(row, eps);
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < cols; j++)
            {
                double g = dy[r * cols + j] * (double)weight[j], xh = (row[j] - mu) * rs;
                sumG += g;
                sumGx += g * xh;
                dw[j] += dy[r * cols + j] * xh;
                db[j] += dy[r * cols + j];
            }
            for (int j = 0; j < cols; j++)
            {
                double g = dy[r * cols + j] * (double)weight[j], xh = (row[j] - mu) * rs;
                dx[r * cols + j] = (float)(rs * (g - sumG / cols - xh * sumGx / cols));
            }
        }
        for (int j = 0; j < cols; j++)
        {
            dweight[j] = (float)dw[j];
            dbias[j] = (float)db[j];
        }
    }

    /// <summary>Mean and 1/√(biased variance + eps) of one row, in double.</summary>
    private static (double Mean, double Rstd) Statistics(ReadOnlySpan<float> row, float eps)
    {
        double mu = 0, var = 0;
        foreach (float v in row) mu += v;
        mu /= row.Length;
        foreach (float v in row) var += (v - mu) * (v - mu);
        return (mu, 1.0 / Math.Sqrt(var / row.Length + eps));
    }
}
