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

    /// <summary>dx (+)= y ⊙ (dy − ⟨dy, y⟩) per row (added when <paramref name="accumulate"/>). y, dy, dx: (rows, cols).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool accumulate = true) =>
        BackwardRows(y, dy, dx, rows, cols, log: false, accumulate);

    /// <summary>dx (+)= dy − exp(y)·Σdy per row, y = log_softmax(x) (added when <paramref name="accumulate"/>). y, dy, dx: (rows, cols).</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool accumulate = true) =>
        BackwardRows(y, dy, dx, rows, cols, log: true, accumulate);

    /// <summary>Runs the softmax or log-softmax row gradient on each row, rows split across workers.</summary>
    private static unsafe void BackwardRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool log, bool accumulate)
    {
        long size = (long)rows * cols;
        if (y.Length < size || dy.Length < size || dx.Length < size) throw new ArgumentException($"softmax backward: spans shorter than ({rows}, {cols})");
        fixed (float* yp = y, dyp = dy, dxp = dx)
        {
            nint ya = (nint)yp, ga = (nint)dyp, da = (nint)dxp;
            Parallelism.For(rows, cols * 4L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    long o = (long)r * cols;
                    if (log) LogGradRow((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate);
                    else GradRow((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate);
                }
            });
        }
    }

    // dx += y ⊙ (dy − ⟨dy, y⟩)
    private static unsafe void GradRow(float* y, float* g, float* d, int n, bool accumulate)
    {
        float dot = Simd.Elementwise.Dot(new ReadOnlySpan<float>(g, n), new ReadOnlySpan<float>(y, n));
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vd = Vector512.Create(dot);
            for (; j <= n - 16; j += 16)
            {
                var yv = Vector512.Load(y + j);
                var v = yv * (Vector512.Load(g + j) - vd);
                (accumulate ? Vector512.Load(d + j) + v : v).Store(d + j);
            }
        }
        for (; j < n; j++) d[j] = (accumulate ? d[j] : 0f) + y[j] * (g[j] - dot);
    }

    // dx += dy − exp(y)·Σdy
    private static unsafe void LogGradRow(float* y, float* g, float* d, int n, bool accumulate)
    {
        float sum = Simd.Elementwise.Sum(new ReadOnlySpan<float>(g, n));
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(sum);
            for (; j <= n - 16; j += 16)
            {
                var v = Vector512.Load(g + j) - Vector512.Exp(Vector512.Load(y + j)) * vs;
                (accumulate ? Vector512.Load(d + j) + v : v).Store(d + j);
            }
        }
        for (; j < n; j++) d[j] = (accumulate ? d[j] : 0f) + (g[j] - MathF.Exp(y[j]) * sum);
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
            // vmaxps directly: a NaN that it drops still reaches the sum through exp, so the row is NaN as in PyTorch
            for (; i <= n - 16; i += 16) mv = Vector512.MaxNative(mv, Vector512.Load(x + i));
            var m256 = Vector256.MaxNative(mv.GetLower(), mv.GetUpper());
            var m128 = Vector128.MaxNative(m256.GetLower(), m256.GetUpper());
            max = MathF.Max(MathF.Max(m128[0], m128[1]), MathF.Max(m128[2], m128[3]));
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
            // subtract the max first: max + log(sum) would round at |x| ~ 1000
            i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(max);
                var vl = Vector512.Create(logSum);
                for (; i <= n - 16; i += 16) ((Vector512.Load(x + i) - vm) - vl).Store(y + i);
            }
            for (; i < n; i++) y[i] = (x[i] - max) - logSum;
            return;
        }
        float inv = 1f / sum;
        i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vi = Vector512.Create(inv);
            for (; i <= n - 16; i += 16) (Vector512.Load(y + i) * vi).Store(y + i);
        }
        for (; i < n; i++) y[i] *= inv;
    }
}
