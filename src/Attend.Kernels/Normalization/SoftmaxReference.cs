// Naive double-precision softmax and log-softmax: the oracle for the fast kernels.
namespace Attend.Kernels.Normalization;

/// <summary>Reference softmax rows, computed in double.</summary>
internal static class SoftmaxReference
{
    /// <summary>Same contract as <see cref="Softmax.Forward"/> (or <see cref="Softmax.LogForward"/> when <paramref name="log"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool log)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (float v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (float v in row) sum += Math.Exp(v - max);
            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] = log ? (float)(row[j] - max - Math.Log(sum)) : (float)(Math.Exp(row[j] - max) / sum);
            }
        }
    }
}
