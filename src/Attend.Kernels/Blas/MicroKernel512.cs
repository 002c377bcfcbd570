// AVX-512 micro-kernel: a 12×32 tile of C held in 24 zmm accumulators; per k step two B vectors are loaded and each
// of the 12 A values is broadcast once (24 FMAs against 14 loads, so the two FMA ports stay the bottleneck).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Attend.Kernels.Blas;

/// <summary>12×32 tile kernel for CPUs with AVX-512F.</summary>
internal readonly struct MicroKernel512 : IMicroKernel
{
    public static int MR => 12;
    public static int NR => 32;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        // a: (kc, 12) packed, b: (kc, 32) packed, c: (12, ldc)
        Vector512<float> c000 = Vector512<float>.Zero, c001 = Vector512<float>.Zero, c010 = Vector512<float>.Zero, c011 = Vector512<float>.Zero,
            c020 = Vector512<float>.Zero, c021 = Vector512<float>.Zero, c030 = Vector512<float>.Zero, c031 = Vector512<float>.Zero,
            c040 = Vector512<float>.Zero, c041 = Vector512<float>.Zero, c050 = Vector512<float>.Zero, c051 = Vector512<float>.Zero,
            c060 = Vector512<float>.Zero, c061 = Vector512<float>.Zero, c070 = Vector512<float>.Zero, c071 = Vector512<float>.Zero,
            c080 = Vector512<float>.Zero, c081 = Vector512<float>.Zero, c090 = Vector512<float>.Zero, c091 = Vector512<float>.Zero,
            c100 = Vector512<float>.Zero, c101 = Vector512<float>.Zero, c110 = Vector512<float>.Zero, c111 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> a00 = Vector512.Create(a[0]);
            c000 = Avx512F.FusedMultiplyAdd(a00, b0, c000); c001 = Avx512F.FusedMultiplyAdd(a00, b1, c001);
            Vector512<float> a01 = Vector512.Create(a[1]);
            c010 = Avx512F.FusedMultiplyAdd(a01, b0, c010); c011 = Avx512F.FusedMultiplyAdd(a01, b1, c011);
            Vector512<float> a02 = Vector512.Create(a[2]);
            c020 = Avx512F.FusedMultiplyAdd(a02, b0, c020); c021 = Avx512F.FusedMultiplyAdd(a02, b1, c021);
            Vector512<float> a03 = Vector512.Create(a[3]);
            c030 = Avx512F.FusedMultiplyAdd(a03, b0, c030); c031 = Avx512F.FusedMultiplyAdd(a03, b1, c031);
            Vector512<float> a04 = Vector512.Create(a[4]);
            c040 = Avx512F.FusedMultiplyAdd(a04, b0, c040); c041 = Avx512F.FusedMultiplyAdd(a04, b1, c041);
            Vector512<float> a05 = Vector512.Create(a[5]);
            c050 = Avx512F.FusedMultiplyAdd(a05, b0, c050); c051 = Avx512F.FusedMultiplyAdd(a05, b1, c051);
            Vector512<float> a06 = Vector512.Create(a[6]);
            c060 = Avx512F.FusedMultiplyAdd(a06, b0, c060); c061 = Avx512F.FusedMultiplyAdd(a06, b1, c061);
            Vector512<float> a07 = Vector512.Create(a[7]);
            c070 = Avx512F.FusedMultiplyAdd(a07, b0, c070); c071 = Avx512F.FusedMultiplyAdd(a07, b1, c071);
            Vector512<float> a08 = Vector512.Create(a[8]);
            c080 = Avx512F.FusedMultiplyAdd(a08, b0, c080); c081 = Avx512F.FusedMultiplyAdd(a08, b1, c081);
            Vector512<float> a09 = Vector512.Create(a[9]);
            c090 = Avx512F.FusedMultiplyAdd(a09, b0, c090); c091 = Avx512F.FusedMultiplyAdd(a09, b1, c091);
            Vector512<float> a10 = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100); c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
            Vector512<float> a11 = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110); c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            a += 12;
            b += 32;
        }
        Store(c + 0 * ldc, c000, c001, add);
        Store(c + 1 * ldc, c010, c011, add);
        Store(c + 2 * ldc, c020, c021, add);
        Store(c + 3 * ldc, c030, c031, add);
        Store(c + 4 * ldc, c040, c041, add);
        Store(c + 5 * ldc, c050, c051, add);
        Store(c + 6 * ldc, c060, c061, add);
        Store(c + 7 * ldc, c070, c071, add);
        Store(c + 8 * ldc, c080, c081, add);
        Store(c + 9 * ldc, c090, c091, add);
        Store(c + 10 * ldc, c100, c101, add);
        Store(c + 11 * ldc, c110, c111, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, Vector512<float> v0, Vector512<float> v1, bool add)
    {
        if (add)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }
}
