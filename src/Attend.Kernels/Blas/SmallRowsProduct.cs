// C = op(A)·op(B) for a handful of rows (m ≤ 8: one decoding step, a single query), where packing B for the
// blocked GEMM would copy the whole matrix to use each element once. Instead each output column block is computed
// straight from B: dot products against B's rows when B is transposed (y = x·Wᵀ, the Linear layout), or
// row-broadcast FMAs along B's rows otherwise. Columns are split across workers in fixed 64-wide blocks, so results
// do not depend on the thread count.
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Blas;

internal static unsafe class SmallRowsProduct
{
    /// <summary>Largest m handled here (a beam of up to 8 hypotheses per step).</summary>
    public const int MaxRows = 8;

    private const int Block = 64;

    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, int threads)
    {
        // op(A) rows gathered contiguously: x[i*k + p] = op(A)(i, p)
        var x = new float[m * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) x[i * k + p] = transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
        int blocks = (n + Block - 1) / Block;
        nint bp = (nint)b, cp = (nint)c;
        fixed (float* xp0 = x)
        {
            nint xp = (nint)xp0;
            int workers = Math.Min(threads, Math.Max(1, (int)Math.Min(blocks, (long)m * n * k / 32_768)));
            void Body(int s, int e)
            {
                for (int blk = s; blk < e; blk++)
                {
                    int j0 = blk * Block, j1 = Math.Min(n, j0 + Block);
                    if (transB) Dots((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                    else Axpys((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                }
            }
            Parallelism.Run(blocks, workers, Body);
        }
    }

    // c[i, j] (+)= Σ_p x[i, p] · b[j, p] for j in [j0, j1): B stored (n, ldb)
    private static void Dots(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
    {
        for (int j = j0; j < j1; j++)
        {
            float* row = b + (long)j * ldb;
            for (int i = 0; i < m; i++)
            {
                float* xi = x + (long)i * k;
                int p = 0;
                float sum = 0f;
                if (Vector512.IsHardwareAccelerated && k >= 16)
                {
                    Vector512<float> s0 = default, s1 = default;
                    for (; p <= k - 32; p += 32)
                    {
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Load(xi + p), Vector512.Load(row + p), s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Load(xi + p + 16), Vector512.Load(row + p + 16), s1);
                    }
                    for (; p <= k - 16; p += 16) s0 = Vector512.FusedMultiplyAdd(Vector512.Load(xi + p), Vector512.Load(row + p), s0);
                    sum = Vector512.Sum(s0 + s1);
                }
                for (; p < k; p++) sum = MathF.FusedMultiplyAdd(xi[p], row[p], sum);
                float* dst = c + (long)i * ldc + j;
                *dst = accumulate ? *dst + sum : sum;
            }
        }
    }

    // c[i, j0:j1] (+)= Σ_p x[i, p] · b[p, j0:j1]: B stored (k, ldb)
    private static void Axpys(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
    {
        Span<float> acc = stackalloc float[Block];
        for (int i = 0; i < m; i++)
        {
            float* xi = x + (long)i * k;
            int width = j1 - j0;
            acc[..width].Clear();
            fixed (float* ap = acc)
            {
                for (int p = 0; p < k; p++)
                {
                    float s = xi[p];
                    float* row = b + (long)p * ldb + j0;
                    int j = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        var vs = Vector512.Create(s);
                        for (; j <= width - 16; j += 16) Vector512.FusedMultiplyAdd(vs, Vector512.Load(row + j), Vector512.Load(ap + j)).Store(ap + j);
                    }
                    for (; j < width; j++) ap[j] = MathF.FusedMultiplyAdd(s, row[j], ap[j]);
                }
                float* dst = c + (long)i * ldc + j0;
                for (int j = 0; j < width; j++) dst[j] = accumulate ? dst[j] + ap[j] : ap[j];
            }
        }
    }
}
