// AVX2+FMA micro-kernel: a 6×16 tile of C in 12 ymm accumulators (of 16 registers), the fallback where AVX-512 is absent.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Attend.Kernels.Blas;

/// <summary>6×16 tile kernel for CPUs with AVX2 and FMA.</summary>
internal readonly struct MicroKernel256 : IMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        // a: (kc, 6) packed, b: (kc, 16) packed, c: (6, ldc)
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero, c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero, c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero, c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero, c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero, c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10); c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20); c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30); c31 = Fma.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40); c41 = Fma.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50); c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        Store(c + 0 * ldc, c00, c01, add);
        Store(c + 1 * ldc, c10, c11, add);
        Store(c + 2 * ldc, c20, c21, add);
        Store(c + 3 * ldc, c30, c31, add);
        Store(c + 4 * ldc, c40, c41, add);
        Store(c + 5 * ldc, c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, Vector256<float> v0, Vector256<float> v1, bool add)
    {
        if (add)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
