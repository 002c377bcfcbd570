// Portable micro-kernel: a 4×4 tile in scalar registers, used where neither AVX-512 nor AVX2+FMA is present.
using System.Runtime.CompilerServices;

namespace Attend.Kernels.Blas;

/// <summary>4×4 tile kernel in plain scalar code.</summary>
internal readonly struct MicroKernelScalar : IMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;

    /// <inheritdoc />
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias) => RunRows(4, 4, kc, a, b, c, ldc, add, bias);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRows(int rows, int stride, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias)
    {
        // a: (kc, stride) packed, b: (kc, 4) packed, c: (rows, ldc)
        Span<float> acc = stackalloc float[16];
        acc.Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < rows; i++)
            {
                float ai = a[i];
                for (int j = 0; j < 4; j++) acc[i * 4 + j] = MathF.FusedMultiplyAdd(ai, b[j], acc[i * 4 + j]);
            }
            a += stride;
            b += 4;
        }
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 4; j++) c[i * ldc + j] = add ? c[i * ldc + j] + acc[i * 4 + j] : bias != null ? acc[i * 4 + j] + bias[j] : acc[i * 4 + j];
        }
    }
}
