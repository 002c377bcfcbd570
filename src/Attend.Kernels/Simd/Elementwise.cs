// Generic SIMD loops over spans, written once over the vector width (ISimd) and run at the width Isa chose, then a
// scalar tail. Large inputs are split across threads in chunks whose sizes are multiples of 64 floats, so every
// element takes the same code path (vector or scalar tail) whatever the thread count.

namespace Attend.Kernels.Simd;

/// <summary>Drivers that apply operator structs to whole spans.</summary>
public static unsafe class Elementwise
{
    private const int Align = 64;
    private const int ParallelThreshold = 1 << 16;

    /// <summary>y[i] = TOp(x[i]). x, y: (n,); y may alias x.</summary>
    public static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, y.Length);
        fixed (float* xp = x, yp = y)
        {
            var kernel = new UnaryKernel<TOp> { X = (nint)xp, Y = (nint)yp, N = x.Length };
            Isa.Run(ref kernel);
        }
    }

    /// <summary>z[i] = TOp(x[i], y[i]) (or z[i] += when <paramref name="accumulate"/>). x, y, z: (n,); z may alias x or y.</summary>
    public static void Binary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, bool accumulate = false) where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, y.Length);
        CheckLengths(x.Length, z.Length);
        fixed (float* xp = x, yp = y, zp = z)
        {
            var kernel = new BinaryKernel<TOp> { X = (nint)xp, Y = (nint)yp, Z = (nint)zp, N = x.Length, Accumulate = accumulate, Scalar = float.NaN, WithScalar = false };
            Isa.Run(ref kernel);
        }
    }

    /// <summary>z[i] = TOp(x[i], s) (or z[i] += when <paramref name="accumulate"/>). x, z: (n,).</summary>
    public static void BinaryScalar<TOp>(ReadOnlySpan<float> x, float s, Span<float> z, bool accumulate = false) where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, z.Length);
        fixed (float* xp = x, zp = z)
        {
            var kernel = new BinaryKernel<TOp> { X = (nint)xp, Y = 0, Z = (nint)zp, N = x.Length, Accumulate = accumulate, Scalar = s, WithScalar = true };
            Isa.Run(ref kernel);
        }
    }

    /// <summary>Sum of x, accumulated in vector lanes then in double for the lanes. x: (n,).</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        fixed (float* xp = x)
        {
            var kernel = new ReduceKernel { X = (nint)xp, N = x.Length };
            Isa.Run(ref kernel);
            return kernel.Result;
        }
    }

    /// <summary>Dot product of x and y, lane-wise multiply-add then summed. x, y: (n,).</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x.Length, y.Length);
        fixed (float* xp = x, yp = y)
        {
            var kernel = new ReduceKernel { X = (nint)xp, Y = (nint)yp, N = x.Length, IsDot = true };
            Isa.Run(ref kernel);
            return kernel.Result;
        }
    }

    /// <summary>Σ x[i] at the width of <typeparamref name="S"/>: vector lanes, then the lanes and the tail in double.</summary>
    internal static float Sum<S, V>(float* x, int n) where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        double total = 0;
        if (n >= w)
        {
            var acc = S.Zero;
            for (; i <= n - w; i += w) acc = S.Add(acc, S.Load(x + i));
            total = S.Sum(acc);
        }
        for (; i < n; i++) total += x[i];
        return (float)total;
    }

    /// <summary>Σ x[i]·y[i] at the width of <typeparamref name="S"/>.</summary>
    internal static float Dot<S, V>(float* x, float* y, int n) where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        float total = 0;
        if (n >= w)
        {
            var acc = S.Zero;
            for (; i <= n - w; i += w) acc = S.MulAdd(S.Load(x + i), S.Load(y + i), acc);
            total = S.Sum(acc);
        }
        for (; i < n; i++) total += x[i] * y[i];
        return total;
    }

    private struct ReduceKernel : IWidthKernel
    {
        public nint X, Y;
        public int N;
        public bool IsDot;
        public float Result;

        public void Run<S, V>() where S : struct, ISimd<V> where V : struct =>
            Result = IsDot ? Dot<S, V>((float*)X, (float*)Y, N) : Sum<S, V>((float*)X, N);
    }

    private struct UnaryKernel<TOp> : IWidthKernel where TOp : struct, IUnaryOperator
    {
        public nint X, Y;
        public int N;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xa = X, ya = Y;
            if (N < ParallelThreshold || Parallelism.Degree == 1) UnaryRange<TOp, S, V>((float*)xa, (float*)ya, N);
            else Chunked(N, (s, e) => UnaryRange<TOp, S, V>((float*)xa + s, (float*)ya + s, e - s));
        }
    }

    private struct BinaryKernel<TOp> : IWidthKernel where TOp : struct, IBinaryOperator
    {
        public nint X, Y, Z;
        public int N;
        public bool Accumulate, WithScalar;
        public float Scalar;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xa = X, ya = Y, za = Z;
            bool accumulate = Accumulate;
            float s0 = Scalar;
            if (WithScalar) BinaryScalarRange<TOp, S, V>((float*)xa, s0, (float*)za, N, accumulate);
            else if (N < ParallelThreshold || Parallelism.Degree == 1) BinaryRange<TOp, S, V>((float*)xa, (float*)ya, (float*)za, N, accumulate);
            else Chunked(N, (s, e) => BinaryRange<TOp, S, V>((float*)xa + s, (float*)ya + s, (float*)za + s, e - s, accumulate));
        }
    }

    /// <summary>
    /// The loop of <see cref="Unary{TOp}"/> at <see cref="Isa.Path"/>'s width, on one thread, as a function pointer
    /// (x, y, n): for a kernel that applies TOp to short runs of its own output (the GEMM's activation epilogue).
    /// </summary>
    internal static delegate*<float*, float*, int, void> UnaryRangeAtPath<TOp>() where TOp : struct, IUnaryOperator => Isa.Path switch
    {
        VectorPath.Vector512 => &UnaryRange<TOp, Simd512, System.Runtime.Intrinsics.Vector512<float>>,
        VectorPath.Vector256 => &UnaryRange<TOp, Simd256, System.Runtime.Intrinsics.Vector256<float>>,
        VectorPath.Vector128 => &UnaryRange<TOp, Simd128, System.Runtime.Intrinsics.Vector128<float>>,
        _ => &UnaryRange<TOp, SimdScalar, float>,
    };

    private static void UnaryRange<TOp, S, V>(float* x, float* y, int n) where TOp : struct, IUnaryOperator where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        for (; i <= n - w; i += w) S.Store(TOp.Invoke<S, V>(S.Load(x + i)), y + i);
        for (; i < n; i++) y[i] = TOp.Invoke(x[i]);
    }

    private static void BinaryRange<TOp, S, V>(float* x, float* y, float* z, int n, bool accumulate) where TOp : struct, IBinaryOperator where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        for (; i <= n - w; i += w)
        {
            var r = TOp.Invoke<S, V>(S.Load(x + i), S.Load(y + i));
            S.Store(accumulate ? S.Add(r, S.Load(z + i)) : r, z + i);
        }
        for (; i < n; i++)
        {
            float r = TOp.Invoke(x[i], y[i]);
            z[i] = accumulate ? z[i] + r : r;
        }
    }

    private static void BinaryScalarRange<TOp, S, V>(float* x, float s, float* z, int n, bool accumulate) where TOp : struct, IBinaryOperator where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, i = 0;
        var sv = S.Splat(s);
        for (; i <= n - w; i += w)
        {
            var r = TOp.Invoke<S, V>(S.Load(x + i), sv);
            S.Store(accumulate ? S.Add(r, S.Load(z + i)) : r, z + i);
        }
        for (; i < n; i++)
        {
            float r = TOp.Invoke(x[i], s);
            z[i] = accumulate ? z[i] + r : r;
        }
    }

    private static void Chunked(int n, Action<int, int> body)
    {
        int blocks = (n + Align - 1) / Align;
        Parallelism.Run(blocks, Parallelism.Degree, (s, e) =>
        {
            int start = s * Align, end = Math.Min(e * Align, n);
            if (start < end) body(start, end);
        });
    }

    private static void CheckLengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"span lengths differ: {a} vs {b}");
    }
}
