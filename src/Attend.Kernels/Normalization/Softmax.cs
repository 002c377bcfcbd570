// Row softmax and log-softmax over the last dimension, forward and backward (llm.c style). The row max is always
// subtracted; a row that is entirely −inf yields NaN, exactly as PyTorch does. Parallel over rows (each row is owned
// by one worker, so results do not depend on the thread count).
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Normalization;

/// <summary>Softmax and log-softmax kernels over rows.</summary>
public static class Softmax
{
    /// <summary>x: (rows, cols) → y: (rows, cols), y = softmax(x) per row. y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols) => Rows(x, y, rows, cols, log: false);

    /// <summary>x: (rows, cols) → y: (rows, cols), y = log_softmax(x) per row. y may alias x.</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols) => Rows(x, y, rows, cols, log: true);

    /// <summary>Accumulates dx += y ⊙ (dy − ⟨dy, y⟩) per row. y, dy, dx: (rows, cols).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols) =>
        BackwardRows(y, dy, dx, rows, cols, (yr, gr, dr) =>
        {
            float dot = Simd.Elementwise.Dot(gr, yr);
            for (int j = 0; j < dr.Length; j++) dr[j] += yr[j] * (gr[j] - dot);
        });

    /// <summary>Accumulates dx += dy − exp(y)·Σdy per row, y = log_softmax(x). y, dy, dx: (rows, cols).</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols) =>
        BackwardRows(y, dy, dx, rows, cols, (yr, gr, dr) =>
        {
            float sum = Simd.Elementwise.Sum(gr);
            for (int j = 0; j < dr.Length; j++) dr[j] += gr[j] - MathF.Exp(yr[j]) * sum;
        });

    private delegate void RowGrad(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>Runs <paramref name="row"/> on each row (y, dy, dx), rows split across workers.</summary>
    private static unsafe void BackwardRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, RowGrad row)
    {
        fixed (float* yp = y, dyp = dy, dxp = dx)
        {
            nint ya = (nint)yp, ga = (nint)dyp, da = (nint)dxp;
            Parallelism.For(rows, cols * 4L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    row(new ReadOnlySpan<float>((float*)ya + (long)r * cols, cols),
                        new ReadOnlySpan<float>((float*)ga + (long)r * cols, cols),
                        new Span<float>((float*)da + (long)r * cols, cols));
                }
            });
        }
    }

    private static unsafe void Rows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool log)
    {
        if (x.Length < (long)rows * cols || y.Length < (long)rows * cols) throw new ArgumentException($"softmax: spans shorter than ({rows}, {cols})");
        fixed (float* xp = x, yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            Parallelism.For(rows, cols * 8L, (s, e) =>
            {
                for (int r = s; r < e; r++) Row((float*)xa + (long)r * cols, (float*)ya + (long)r * cols, cols, log);
            });
        }
    }

    private static unsafe void Row(float* x, float* y, int n, bool log)
    {
        float max = float.NegativeInfinity;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var mv = Vector512.Create(float.NegativeInfinity);
            for (; i <= n - 16; i += 16) mv = Vector512.Max(mv, Vector512.Load(x + i));
            for (int l = 0; l < 16; l++) max = MathF.Max(max, mv.GetElement(l));
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);

        float sum = 0f;
        i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var ex = Vector512.Exp(Vector512.Load(x + i) - m);
                if (!log) Vector512.Store(ex, y + i);
                acc += ex;
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < n; i++)
        {
            float ex = MathF.Exp(x[i] - max);
            if (!log) y[i] = ex;
            sum += ex;
        }

        if (log)
        {
            float logSum = MathF.Log(sum);
            for (i = 0; i < n; i++) y[i] = (x[i] - max) - logSum; // subtract the max first: max + log(sum) would round at |x| ~ 1000
            return;
        }
        float inv = 1f / sum;
        Simd.Elementwise.BinaryScalar<Simd.MultiplyOperator>(new ReadOnlySpan<float>(y, n), inv, new Span<float>(y, n));
    }
}
