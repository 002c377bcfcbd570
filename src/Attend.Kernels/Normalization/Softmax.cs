// Row softmax and log-softmax over the last dimension, forward and backward (llm.c style), written once over the
// vector width (ISimd). The row max is always subtracted; a row that is entirely −inf yields NaN, exactly as PyTorch
// does. Parallel over rows (each row is owned by one worker, so results do not depend on the thread count).
using Attend.Kernels.Simd;

namespace Attend.Kernels.Normalization;

/// <summary>Softmax and log-softmax kernels over rows.</summary>
public static unsafe class Softmax
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

    private static void Rows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool log)
    {
        if (x.Length < (long)rows * cols || y.Length < (long)rows * cols) throw new ArgumentException($"softmax: spans shorter than ({rows}, {cols})");
        fixed (float* xp = x, yp = y)
        {
            var kernel = new ForwardKernel { X = (nint)xp, Y = (nint)yp, Rows = rows, Cols = cols, Log = log };
            Isa.Run(ref kernel);
        }
    }

    private static void BackwardRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool log, bool accumulate)
    {
        long size = (long)rows * cols;
        if (y.Length < size || dy.Length < size || dx.Length < size) throw new ArgumentException($"softmax backward: spans shorter than ({rows}, {cols})");
        fixed (float* yp = y, dyp = dy, dxp = dx)
        {
            var kernel = new BackwardKernel { Y = (nint)yp, G = (nint)dyp, D = (nint)dxp, Rows = rows, Cols = cols, Log = log, Accumulate = accumulate };
            Isa.Run(ref kernel);
        }
    }

    private struct ForwardKernel : IWidthKernel
    {
        public nint X, Y;
        public int Rows, Cols;
        public bool Log;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xa = X, ya = Y;
            int cols = Cols;
            bool log = Log;
            Parallelism.For(Rows, cols * 8L, (s, e) =>
            {
                for (int r = s; r < e; r++) Row<S, V>((float*)xa + (long)r * cols, (float*)ya + (long)r * cols, cols, log);
            });
        }
    }

    private struct BackwardKernel : IWidthKernel
    {
        public nint Y, G, D;
        public int Rows, Cols;
        public bool Log, Accumulate;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint ya = Y, ga = G, da = D;
            int cols = Cols;
            bool log = Log, accumulate = Accumulate;
            Parallelism.For(Rows, cols * 4L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    long o = (long)r * cols;
                    if (log) LogGradRow<S, V>((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate);
                    else GradRow<S, V>((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate);
                }
            });
        }
    }

    // y = softmax(x) or log_softmax(x) over one row of n
    private static void Row<S, V>(float* x, float* y, int n, bool log) where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        float max = float.NegativeInfinity;
        if (n >= w)
        {
            // the instruction's max: a NaN that it drops still reaches the sum through exp, so the row is NaN as in PyTorch
            var mv = S.Splat(float.NegativeInfinity);
            for (; i <= n - w; i += w) mv = S.MaxNative(mv, S.Load(x + i));
            max = S.MaxAcross(mv);
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);

        var m = S.Splat(max);
        var acc = S.Zero;
        i = 0;
        for (; i <= n - w; i += w)
        {
            var ex = S.Exp(S.Sub(S.Load(x + i), m));
            if (!log) S.Store(ex, y + i);
            acc = S.Add(acc, ex);
        }
        float sum = S.Sum(acc);
        for (; i < n; i++)
        {
            float ex = MathF.Exp(x[i] - max);
            if (!log) y[i] = ex;
            sum += ex;
        }

        if (log)
        {
            // subtract the max first: max + log(sum) would round at |x| ~ 1000
            float logSum = MathF.Log(sum);
            var vl = S.Splat(logSum);
            for (i = 0; i <= n - w; i += w) S.Store(S.Sub(S.Sub(S.Load(x + i), m), vl), y + i);
            for (; i < n; i++) y[i] = (x[i] - max) - logSum;
            return;
        }
        float inv = 1f / sum;
        var vi = S.Splat(inv);
        for (i = 0; i <= n - w; i += w) S.Store(S.Mul(S.Load(y + i), vi), y + i);
        for (; i < n; i++) y[i] *= inv;
    }

    // dx (+)= y ⊙ (dy − ⟨dy, y⟩)
    private static void GradRow<S, V>(float* y, float* g, float* d, int n, bool accumulate) where S : struct, ISimd<V> where V : struct
    {
        float dot = Elementwise.Dot<S, V>(g, y, n);
        int w = S.Count, j = 0;
        var vd = S.Splat(dot);
        for (; j <= n - w; j += w)
        {
            var v = S.Mul(S.Load(y + j), S.Sub(S.Load(g + j), vd));
            S.Store(accumulate ? S.Add(S.Load(d + j), v) : v, d + j);
        }
        for (; j < n; j++) d[j] = (accumulate ? d[j] : 0f) + y[j] * (g[j] - dot);
    }

    // dx (+)= dy − exp(y)·Σdy
    private static void LogGradRow<S, V>(float* y, float* g, float* d, int n, bool accumulate) where S : struct, ISimd<V> where V : struct
    {
        float sum = Elementwise.Sum<S, V>(g, n);
        int w = S.Count, j = 0;
        var vs = S.Splat(sum);
        for (; j <= n - w; j += w)
        {
            var v = S.Sub(S.Load(g + j), S.Mul(S.Exp(S.Load(y + j)), vs));
            S.Store(accumulate ? S.Add(S.Load(d + j), v) : v, d + j);
        }
        for (; j < n; j++) d[j] = (accumulate ? d[j] : 0f) + (g[j] - MathF.Exp(y[j]) * sum);
    }
}
