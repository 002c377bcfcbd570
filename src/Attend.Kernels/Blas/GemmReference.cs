// The naive triple loop that defines what the packed GEMM must compute; the oracle for its tests.
namespace Attend.Kernels.Blas;

/// <summary>Reference C = op(A)·op(B) (+ C), accumulated in double.</summary>
internal static class GemmReference
{
    /// <summary>Same contract as <see cref="Gemm.Multiply"/>.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
