// Generic SIMD loops over spans: Vector512 where accelerated, else Vector256, then a scalar tail. Large inputs are
// split across threads in chunks whose sizes are multiples of 64 floats, so every element takes the same code path
// (vector or scalar tail) whatever the thread count.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>Drivers that apply operator structs to whole spans.</summary>
public static class Elementwise
{
    private const int Align = 64;
    private const int ParallelThreshold = 1 << 16;

    /// <summary>y[i] = TOp(x[i]). x, y: (n,); y may alias x.</summary>
    public static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, y.Length);
        if (x.Length < ParallelThreshold || Parallelism.Degree == 1)
        {
            UnaryRange<TOp>(x, y);
            return;
        }
        unsafe
        {
            fixed (float* xp = x, yp = y)
            {
                nint xa = (nint)xp, ya = (nint)yp;
                int n = x.Length;
                Chunked(n, (s, e) => UnaryRange<TOp>(new ReadOnlySpan<float>((float*)xa + s, e - s), new Span<float>((float*)ya + s, e - s)));
            }
        }
    }

    /// <summary>z[i] = TOp(x[i], y[i]) (or z[i] += when <paramref name="accumulate"/>). x, y, z: (n,); z may alias x or y.</summary>
    public static void Binary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, bool accumulate = false) where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, y.Length);
        CheckLengths(x.Length, z.Length);
        if (x.Length < ParallelThreshold || Parallelism.Degree == 1)
        {
            BinaryRange<TOp>(x, y, z, accumulate);
            return;
        }
        unsafe
        {
            fixed (float* xp = x, yp = y, zp = z)
            {
                nint xa = (nint)xp, ya = (nint)yp, za = (nint)zp;
                Chunked(x.Length, (s, e) => BinaryRange<TOp>(new ReadOnlySpan<float>((float*)xa + s, e - s),
                    new ReadOnlySpan<float>((float*)ya + s, e - s), new Span<float>((float*)za + s, e - s), accumulate));
            }
        }
    }

    /// <summary>z[i] = TOp(x[i], s) (or z[i] += when <paramref name="accumulate"/>). x, z: (n,).</summary>
    public static void BinaryScalar<TOp>(ReadOnlySpan<float> x, float s, Span<float> z, bool accumulate = false) where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, z.Length);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float zr = ref MemoryMarshal.GetReference(z);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var sv = Vector512.Create(s);
            for (; i <= n - 16; i += 16)
            {
                var r = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), sv);
                if (accumulate) r += Vector512.LoadUnsafe(ref zr, (nuint)i);
                r.StoreUnsafe(ref zr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var sv = Vector256.Create(s);
            for (; i <= n - 8; i += 8)
            {
                var r = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), sv);
                if (accumulate) r += Vector256.LoadUnsafe(ref zr, (nuint)i);
                r.StoreUnsafe(ref zr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float r = TOp.Invoke(Unsafe.Add(ref xr, i), s);
            Unsafe.Add(ref zr, i) = accumulate ? Unsafe.Add(ref zr, i) + r : r;
        }
    }

    /// <summary>Sum of x, accumulated in vector lanes then in double for the lanes. x: (n,).</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += Vector512.LoadUnsafe(ref xr, (nuint)i);
            total = Vector512.Sum(acc);
        }
        for (; i < n; i++) total += Unsafe.Add(ref xr, i);
        return (float)total;
    }

    /// <summary>Dot product of x and y, lane-wise FMA then summed. x, y: (n,).</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x.Length, y.Length);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), acc);
            total = Vector512.Sum(acc);
        }
        for (; i < n; i++) total += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        return total;
    }

    private static void UnaryRange<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16) TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8) TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i));
    }

    private static void BinaryRange<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, bool accumulate) where TOp : struct, IBinaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float zr = ref MemoryMarshal.GetReference(z);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var r = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i));
                if (accumulate) r += Vector512.LoadUnsafe(ref zr, (nuint)i);
                r.StoreUnsafe(ref zr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var r = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i));
                if (accumulate) r += Vector256.LoadUnsafe(ref zr, (nuint)i);
                r.StoreUnsafe(ref zr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float r = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
            Unsafe.Add(ref zr, i) = accumulate ? Unsafe.Add(ref zr, i) + r : r;
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
