// The edge micro-kernel: the first R rows (R < MR) of the register tile, so that a panel with fewer rows than the tile
// costs the FMAs of its rows, not of a whole zero-padded tile (13 rows were 24 rows of work on the 12-row tile). It
// reads the same packed panels as MicroKernel12/MicroKernel6 and adds in the same order (one KC block from zero, then
// into C), so every element equals the full kernel's bit for bit. R is a type: the JIT folds each `R.Count > i` and
// keeps only R accumulator pairs in registers.
using System.Runtime.CompilerServices;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

/// <summary>A compile-time row count.</summary>
internal interface IRows
{
    static abstract int Count { get; }
}

internal readonly struct Rows1 : IRows { public static int Count => 1; }
internal readonly struct Rows2 : IRows { public static int Count => 2; }
internal readonly struct Rows3 : IRows { public static int Count => 3; }
internal readonly struct Rows4 : IRows { public static int Count => 4; }
internal readonly struct Rows5 : IRows { public static int Count => 5; }
internal readonly struct Rows6 : IRows { public static int Count => 6; }
internal readonly struct Rows7 : IRows { public static int Count => 7; }
internal readonly struct Rows8 : IRows { public static int Count => 8; }
internal readonly struct Rows9 : IRows { public static int Count => 9; }
internal readonly struct Rows10 : IRows { public static int Count => 10; }
internal readonly struct Rows11 : IRows { public static int Count => 11; }

/// <summary>R × (2·lanes) tiles from panels packed for an MR-row kernel (R &lt; MR ≤ 12).</summary>
internal static class MicroKernelRows<S, V> where S : struct, ISimd<V> where V : struct
{
    /// <summary>
    /// C[0..rows) (+)= A panel · B panel for 1 ≤ rows ≤ 11: a is packed (kc, <paramref name="mr"/>), b (kc, 2·lanes),
    /// c has row stride ldc.
    /// </summary>
    public static unsafe void Run(int rows, int mr, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias)
    {
        switch (rows)
        {
            case 1: Tile<Rows1>(mr, kc, a, b, c, ldc, add, bias); break;
            case 2: Tile<Rows2>(mr, kc, a, b, c, ldc, add, bias); break;
            case 3: Tile<Rows3>(mr, kc, a, b, c, ldc, add, bias); break;
            case 4: Tile<Rows4>(mr, kc, a, b, c, ldc, add, bias); break;
            case 5: Tile<Rows5>(mr, kc, a, b, c, ldc, add, bias); break;
            case 6: Tile<Rows6>(mr, kc, a, b, c, ldc, add, bias); break;
            case 7: Tile<Rows7>(mr, kc, a, b, c, ldc, add, bias); break;
            case 8: Tile<Rows8>(mr, kc, a, b, c, ldc, add, bias); break;
            case 9: Tile<Rows9>(mr, kc, a, b, c, ldc, add, bias); break;
            case 10: Tile<Rows10>(mr, kc, a, b, c, ldc, add, bias); break;
            case 11: Tile<Rows11>(mr, kc, a, b, c, ldc, add, bias); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "the edge kernel takes 1 to 11 rows");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<R>(int mr, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias) where R : struct, IRows
    {
        int w = S.Count;
        V c000 = S.Zero, c001 = S.Zero, c010 = S.Zero, c011 = S.Zero, c020 = S.Zero, c021 = S.Zero, c030 = S.Zero, c031 = S.Zero,
            c040 = S.Zero, c041 = S.Zero, c050 = S.Zero, c051 = S.Zero, c060 = S.Zero, c061 = S.Zero, c070 = S.Zero, c071 = S.Zero,
            c080 = S.Zero, c081 = S.Zero, c090 = S.Zero, c091 = S.Zero, c100 = S.Zero, c101 = S.Zero;
        for (int p = 0; p < kc; p++)
        {
            V b0 = S.Load(b), b1 = S.Load(b + w);
            V a00 = S.Splat(a[0]);
            c000 = S.MulAdd(a00, b0, c000); c001 = S.MulAdd(a00, b1, c001);
            if (R.Count > 1) { V x = S.Splat(a[1]); c010 = S.MulAdd(x, b0, c010); c011 = S.MulAdd(x, b1, c011); }
            if (R.Count > 2) { V x = S.Splat(a[2]); c020 = S.MulAdd(x, b0, c020); c021 = S.MulAdd(x, b1, c021); }
            if (R.Count > 3) { V x = S.Splat(a[3]); c030 = S.MulAdd(x, b0, c030); c031 = S.MulAdd(x, b1, c031); }
            if (R.Count > 4) { V x = S.Splat(a[4]); c040 = S.MulAdd(x, b0, c040); c041 = S.MulAdd(x, b1, c041); }
            if (R.Count > 5) { V x = S.Splat(a[5]); c050 = S.MulAdd(x, b0, c050); c051 = S.MulAdd(x, b1, c051); }
            if (R.Count > 6) { V x = S.Splat(a[6]); c060 = S.MulAdd(x, b0, c060); c061 = S.MulAdd(x, b1, c061); }
            if (R.Count > 7) { V x = S.Splat(a[7]); c070 = S.MulAdd(x, b0, c070); c071 = S.MulAdd(x, b1, c071); }
            if (R.Count > 8) { V x = S.Splat(a[8]); c080 = S.MulAdd(x, b0, c080); c081 = S.MulAdd(x, b1, c081); }
            if (R.Count > 9) { V x = S.Splat(a[9]); c090 = S.MulAdd(x, b0, c090); c091 = S.MulAdd(x, b1, c091); }
            if (R.Count > 10) { V x = S.Splat(a[10]); c100 = S.MulAdd(x, b0, c100); c101 = S.MulAdd(x, b1, c101); }
            a += mr;
            b += 2 * w;
        }
        TileStore<S, V>.Row(c, c000, c001, add, bias);
        if (R.Count > 1) TileStore<S, V>.Row(c + 1 * ldc, c010, c011, add, bias);
        if (R.Count > 2) TileStore<S, V>.Row(c + 2 * ldc, c020, c021, add, bias);
        if (R.Count > 3) TileStore<S, V>.Row(c + 3 * ldc, c030, c031, add, bias);
        if (R.Count > 4) TileStore<S, V>.Row(c + 4 * ldc, c040, c041, add, bias);
        if (R.Count > 5) TileStore<S, V>.Row(c + 5 * ldc, c050, c051, add, bias);
        if (R.Count > 6) TileStore<S, V>.Row(c + 6 * ldc, c060, c061, add, bias);
        if (R.Count > 7) TileStore<S, V>.Row(c + 7 * ldc, c070, c071, add, bias);
        if (R.Count > 8) TileStore<S, V>.Row(c + 8 * ldc, c080, c081, add, bias);
        if (R.Count > 9) TileStore<S, V>.Row(c + 9 * ldc, c090, c091, add, bias);
        if (R.Count > 10) TileStore<S, V>.Row(c + 10 * ldc, c100, c101, add, bias);
    }
}
