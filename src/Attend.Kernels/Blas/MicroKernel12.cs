// The 12-row micro-kernel, written once over the vector width: a 12 × (2·lanes) tile of C held in 24 vector
// accumulators. Per k step two B vectors are loaded and each of the 12 A values is broadcast once (24 FMAs against
// 14 loads, so the FMA ports stay the bottleneck). It needs 27 vector registers: the shape for the ISAs with 32 of
// them, AVX-512 (a 12×32 tile) and ARM64 NEON (12×8).
using System.Runtime.CompilerServices;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

/// <summary>12 × (2·lanes) tile kernel for 32-register ISAs (AVX-512, ARM64 AdvSimd).</summary>
internal readonly struct MicroKernel12<S, V> : IMicroKernel where S : struct, ISimd<V> where V : struct
{
    public static int MR => 12;
    public static int NR => 2 * S.Count;

    /// <inheritdoc />
    public static unsafe void RunRows(int rows, int stride, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias) =>
        MicroKernelRows<S, V>.Run(rows, stride, kc, a, b, c, ldc, add, bias);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias)
    {
        // a: (kc, 12) packed, b: (kc, 2w) packed, c: (12, ldc)
        int w = S.Count;
        V c000 = S.Zero, c001 = S.Zero, c010 = S.Zero, c011 = S.Zero, c020 = S.Zero, c021 = S.Zero, c030 = S.Zero, c031 = S.Zero,
            c040 = S.Zero, c041 = S.Zero, c050 = S.Zero, c051 = S.Zero, c060 = S.Zero, c061 = S.Zero, c070 = S.Zero, c071 = S.Zero,
            c080 = S.Zero, c081 = S.Zero, c090 = S.Zero, c091 = S.Zero, c100 = S.Zero, c101 = S.Zero, c110 = S.Zero, c111 = S.Zero;
        for (int p = 0; p < kc; p++)
        {
            V b0 = S.Load(b), b1 = S.Load(b + w);
            V a00 = S.Splat(a[0]);
            c000 = S.MulAdd(a00, b0, c000); c001 = S.MulAdd(a00, b1, c001);
            V a01 = S.Splat(a[1]);
            c010 = S.MulAdd(a01, b0, c010); c011 = S.MulAdd(a01, b1, c011);
            V a02 = S.Splat(a[2]);
            c020 = S.MulAdd(a02, b0, c020); c021 = S.MulAdd(a02, b1, c021);
            V a03 = S.Splat(a[3]);
            c030 = S.MulAdd(a03, b0, c030); c031 = S.MulAdd(a03, b1, c031);
            V a04 = S.Splat(a[4]);
            c040 = S.MulAdd(a04, b0, c040); c041 = S.MulAdd(a04, b1, c041);
            V a05 = S.Splat(a[5]);
            c050 = S.MulAdd(a05, b0, c050); c051 = S.MulAdd(a05, b1, c051);
            V a06 = S.Splat(a[6]);
            c060 = S.MulAdd(a06, b0, c060); c061 = S.MulAdd(a06, b1, c061);
            V a07 = S.Splat(a[7]);
            c070 = S.MulAdd(a07, b0, c070); c071 = S.MulAdd(a07, b1, c071);
            V a08 = S.Splat(a[8]);
            c080 = S.MulAdd(a08, b0, c080); c081 = S.MulAdd(a08, b1, c081);
            V a09 = S.Splat(a[9]);
            c090 = S.MulAdd(a09, b0, c090); c091 = S.MulAdd(a09, b1, c091);
            V a10 = S.Splat(a[10]);
            c100 = S.MulAdd(a10, b0, c100); c101 = S.MulAdd(a10, b1, c101);
            V a11 = S.Splat(a[11]);
            c110 = S.MulAdd(a11, b0, c110); c111 = S.MulAdd(a11, b1, c111);
            a += 12;
            b += 2 * w;
        }
        TileStore<S, V>.Row(c + 0 * ldc, c000, c001, add, bias);
        TileStore<S, V>.Row(c + 1 * ldc, c010, c011, add, bias);
        TileStore<S, V>.Row(c + 2 * ldc, c020, c021, add, bias);
        TileStore<S, V>.Row(c + 3 * ldc, c030, c031, add, bias);
        TileStore<S, V>.Row(c + 4 * ldc, c040, c041, add, bias);
        TileStore<S, V>.Row(c + 5 * ldc, c050, c051, add, bias);
        TileStore<S, V>.Row(c + 6 * ldc, c060, c061, add, bias);
        TileStore<S, V>.Row(c + 7 * ldc, c070, c071, add, bias);
        TileStore<S, V>.Row(c + 8 * ldc, c080, c081, add, bias);
        TileStore<S, V>.Row(c + 9 * ldc, c090, c091, add, bias);
        TileStore<S, V>.Row(c + 10 * ldc, c100, c101, add, bias);
        TileStore<S, V>.Row(c + 11 * ldc, c110, c111, add, bias);
    }
}

/// <summary>Writes one tile row of two vectors to C, adding to what is there when asked, else to the bias row when there is one.</summary>
internal static class TileStore<S, V> where S : struct, ISimd<V> where V : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Row(float* c, V v0, V v1, bool add, float* bias)
    {
        if (add)
        {
            v0 = S.Add(v0, S.Load(c));
            v1 = S.Add(v1, S.Load(c + S.Count));
        }
        else if (bias != null)
        {
            v0 = S.Add(v0, S.Load(bias));
            v1 = S.Add(v1, S.Load(bias + S.Count));
        }
        S.Store(v0, c);
        S.Store(v1, c + S.Count);
    }
}
