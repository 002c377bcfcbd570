// The 6-row micro-kernel, written once over the vector width: a 6 × (2·lanes) tile of C in 12 vector accumulators,
// for the ISAs with 16 vector registers: AVX2 + FMA (a 6×16 tile, BLIS's Haswell shape) and SSE on x64 without AVX2
// (6×8).
using System.Runtime.CompilerServices;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

/// <summary>6 × (2·lanes) tile kernel for 16-register ISAs (AVX2, SSE).</summary>
internal readonly struct MicroKernel6<S, V> : IMicroKernel where S : struct, ISimd<V> where V : struct
{
    public static int MR => 6;
    public static int NR => 2 * S.Count;

    /// <inheritdoc />
    public static unsafe void RunRows(int rows, int stride, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias) =>
        MicroKernelRows<S, V>.Run(rows, stride, kc, a, b, c, ldc, add, bias);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias)
    {
        // a: (kc, 6) packed, b: (kc, 2w) packed, c: (6, ldc)
        int w = S.Count;
        V c00 = S.Zero, c01 = S.Zero, c10 = S.Zero, c11 = S.Zero, c20 = S.Zero, c21 = S.Zero,
            c30 = S.Zero, c31 = S.Zero, c40 = S.Zero, c41 = S.Zero, c50 = S.Zero, c51 = S.Zero;
        for (int p = 0; p < kc; p++)
        {
            V b0 = S.Load(b), b1 = S.Load(b + w);
            V a0 = S.Splat(a[0]);
            c00 = S.MulAdd(a0, b0, c00); c01 = S.MulAdd(a0, b1, c01);
            V a1 = S.Splat(a[1]);
            c10 = S.MulAdd(a1, b0, c10); c11 = S.MulAdd(a1, b1, c11);
            V a2 = S.Splat(a[2]);
            c20 = S.MulAdd(a2, b0, c20); c21 = S.MulAdd(a2, b1, c21);
            V a3 = S.Splat(a[3]);
            c30 = S.MulAdd(a3, b0, c30); c31 = S.MulAdd(a3, b1, c31);
            V a4 = S.Splat(a[4]);
            c40 = S.MulAdd(a4, b0, c40); c41 = S.MulAdd(a4, b1, c41);
            V a5 = S.Splat(a[5]);
            c50 = S.MulAdd(a5, b0, c50); c51 = S.MulAdd(a5, b1, c51);
            a += 6;
            b += 2 * w;
        }
        TileStore<S, V>.Row(c + 0 * ldc, c00, c01, add, bias);
        TileStore<S, V>.Row(c + 1 * ldc, c10, c11, add, bias);
        TileStore<S, V>.Row(c + 2 * ldc, c20, c21, add, bias);
        TileStore<S, V>.Row(c + 3 * ldc, c30, c31, add, bias);
        TileStore<S, V>.Row(c + 4 * ldc, c40, c41, add, bias);
        TileStore<S, V>.Row(c + 5 * ldc, c50, c51, add, bias);
    }
}
