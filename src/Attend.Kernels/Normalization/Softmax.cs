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

    /// <summary>
    /// Attention's score normalisation in one pass over the scores: y = softmax(scale·x, −inf where masked) per row.
    /// x, y: (rows, cols); mask: (maskRows, cols) with true = masked, row r taking mask row r mod maskRows, or empty for
    /// none. y may alias x. A fully masked row is NaN, as PyTorch gives.
    /// </summary>
    public static void ScaledMaskedForward(ReadOnlySpan<float> x, ReadOnlySpan<bool> mask, Span<float> y, int rows, int cols, float scale)
    {
        if (x.Length < (long)rows * cols || y.Length < (long)rows * cols) throw new ArgumentException($"softmax: spans shorter than ({rows}, {cols})");
        if (mask.Length > 0 && (cols == 0 || mask.Length % cols != 0)) throw new ArgumentException($"softmax: a mask of {mask.Length} is not whole rows of {cols}");
        fixed (float* xp = x, yp = y)
        fixed (bool* mp = mask)
        {
            var kernel = new ForwardKernel
            {
                X = (nint)xp, Y = (nint)yp, Rows = rows, Cols = cols, Scale = scale, Mask = mask.Length > 0 ? (nint)mp : 0,
                MaskRows = cols == 0 ? 0 : mask.Length / cols, Scaled = true,
            };
            Isa.Run(ref kernel);
        }
    }

    /// <summary>dx (+)= y ⊙ (dy − ⟨dy, y⟩) per row (added when <paramref name="accumulate"/>). y, dy, dx: (rows, cols).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool accumulate = true) =>
        BackwardRows(y, dy, dx, rows, cols, log: false, accumulate, 1f);

    /// <summary>
    /// The gradient of <see cref="ScaledMaskedForward"/>: dx (+)= scale · y ⊙ (dy − ⟨dy, y⟩) per row (masked positions
    /// have y = 0, so get 0). y, dy, dx: (rows, cols).
    /// </summary>
    public static void ScaledBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, float scale, bool accumulate = true) =>
        BackwardRows(y, dy, dx, rows, cols, log: false, accumulate, scale);

    /// <summary>dx (+)= dy − exp(y)·Σdy per row, y = log_softmax(x) (added when <paramref name="accumulate"/>). y, dy, dx: (rows, cols).</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool accumulate = true) =>
        BackwardRows(y, dy, dx, rows, cols, log: true, accumulate, 1f);

    private static void Rows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool log)
    {
        if (x.Length < (long)rows * cols || y.Length < (long)rows * cols) throw new ArgumentException($"softmax: spans shorter than ({rows}, {cols})");
        fixed (float* xp = x, yp = y)
        {
            var kernel = new ForwardKernel { X = (nint)xp, Y = (nint)yp, Rows = rows, Cols = cols, Log = log };
            Isa.Run(ref kernel);
        }
    }

    private static void BackwardRows(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, bool log, bool accumulate, float scale)
    {
        long size = (long)rows * cols;
        if (y.Length < size || dy.Length < size || dx.Length < size) throw new ArgumentException($"softmax backward: spans shorter than ({rows}, {cols})");
        fixed (float* yp = y, dyp = dy, dxp = dx)
        {
            var kernel = new BackwardKernel { Y = (nint)yp, G = (nint)dyp, D = (nint)dxp, Rows = rows, Cols = cols, Log = log, Accumulate = accumulate, Scale = scale };
            Isa.Run(ref kernel);
        }
    }

    private struct ForwardKernel : IWidthKernel
    {
        public nint X, Y, Mask;
        public int Rows, Cols, MaskRows;
        public bool Log, Scaled;
        public float Scale;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xa = X, ya = Y, ma = Mask;
            int cols = Cols, maskRows = MaskRows;
            bool log = Log, scaled = Scaled;
            float scale = Scale;
            Parallelism.For(Rows, cols * 8L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    float* x = (float*)xa + (long)r * cols, y = (float*)ya + (long)r * cols;
                    if (scaled) ScaledMaskedRow<S, V>(x, ma == 0 ? null : (bool*)ma + (long)(r % maskRows) * cols, y, cols, scale);
                    else Row<S, V>(x, y, cols, log);
                }
            });
        }
    }

    private struct BackwardKernel : IWidthKernel
    {
        public nint Y, G, D;
        public int Rows, Cols;
        public bool Log, Accumulate;
        public float Scale;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint ya = Y, ga = G, da = D;
            int cols = Cols;
            bool log = Log, accumulate = Accumulate;
            float scale = Scale;
            Parallelism.For(Rows, cols * 4L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    long o = (long)r * cols;
                    if (log) LogGradRow<S, V>((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate);
                    else GradRow<S, V>((float*)ya + o, (float*)ga + o, (float*)da + o, cols, accumulate, scale);
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

        if (!log)
        {
            ExpNormalize<S, V>(x, y, n, max);
            return;
        }
        var m = S.Splat(max);
        var acc = S.Zero;
        for (i = 0; i <= n - w; i += w) acc = S.Add(acc, S.Exp(S.Sub(S.Load(x + i), m)));
        float sum = S.Sum(acc);
        for (; i < n; i++) sum += MathF.Exp(x[i] - max);

        // subtract the max first: max + log(sum) would round at |x| ~ 1000
        float logSum = MathF.Log(sum);
        var vl = S.Splat(logSum);
        for (i = 0; i <= n - w; i += w) S.Store(S.Sub(S.Sub(S.Load(x + i), m), vl), y + i);
        for (; i < n; i++) y[i] = (x[i] - max) - logSum;
    }

    // y = exp(src − max) / Σ exp(src − max) over a row of n whose max is given; y may alias src.
    private static void ExpNormalize<S, V>(float* src, float* y, int n, float max) where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        var m = S.Splat(max);
        var acc = S.Zero;
        for (; i <= n - w; i += w)
        {
            var ex = S.Exp(S.Sub(S.Load(src + i), m));
            S.Store(ex, y + i);
            acc = S.Add(acc, ex);
        }
        float sum = S.Sum(acc);
        for (; i < n; i++)
        {
            float ex = MathF.Exp(src[i] - max);
            y[i] = ex;
            sum += ex;
        }
        float inv = 1f / sum;
        var vi = S.Splat(inv);
        for (i = 0; i <= n - w; i += w) S.Store(S.Mul(S.Load(y + i), vi), y + i);
        for (; i < n; i++) y[i] *= inv;
    }

    // dx (+)= scale · y ⊙ (dy − ⟨dy, y⟩)
    private static void GradRow<S, V>(float* y, float* g, float* d, int n, bool accumulate, float scale) where S : struct, ISimd<V> where V : struct
    {
        float dot = Elementwise.Dot<S, V>(g, y, n);
        int w = S.Count, j = 0;
        var vd = S.Splat(dot);
        var vs = S.Splat(scale);
        bool scaled = scale != 1f;
        for (; j <= n - w; j += w)
        {
            var v = S.Mul(S.Load(y + j), S.Sub(S.Load(g + j), vd));
            if (scaled) v = S.Mul(v, vs);
            S.Store(accumulate ? S.Add(S.Load(d + j), v) : v, d + j);
        }
        for (; j < n; j++)
        {
            float v = y[j] * (g[j] - dot);
            if (scaled) v *= scale;
            d[j] = (accumulate ? d[j] : 0f) + v;
        }
    }

    // y = softmax(scale·x with −inf where mask[j]) over one row of n; mask null for none. The first pass scales, masks,
    // stores and takes the max at once; the mask's bools become a select mask a vector at a time.
    private static void ScaledMaskedRow<S, V>(float* x, bool* mask, float* y, int n, float scale) where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        var vs = S.Splat(scale);
        var ninf = S.Splat(float.NegativeInfinity);
        var mv = ninf;
        float* flags = stackalloc float[w];
        for (; i <= n - w; i += w)
        {
            var v = S.Mul(S.Load(x + i), vs);
            if (mask != null)
            {
                for (int l = 0; l < w; l++) flags[l] = mask[i + l] ? 1f : 0f;
                v = S.SelectGreater(S.Load(flags), S.Zero, ninf, v);
            }
            S.Store(v, y + i);
            mv = S.MaxNative(mv, v);
        }
        float max = S.MaxAcross(mv);
        for (; i < n; i++)
        {
            float v = mask != null && mask[i] ? float.NegativeInfinity : scale * x[i];
            y[i] = v;
            max = MathF.Max(max, v);
        }
        ExpNormalize<S, V>(y, y, n, max);
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
