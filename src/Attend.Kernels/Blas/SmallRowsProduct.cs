// C = op(A)·op(B) for a handful of rows (m ≤ 8: one decoding step, a single query), where packing B for the
// blocked GEMM would copy the whole matrix to use each element once. Instead each output column block is computed
// straight from B: dot products against B's rows when B is transposed (y = x·Wᵀ, the Linear layout), or
// row-broadcast FMAs along B's rows otherwise. Columns are split across workers in fixed 64-wide blocks, so results
// do not depend on the thread count. Written once over the vector width (ISimd); Isa.Run picks it.
using Attend.Kernels.Simd;

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
        fixed (float* xp = x)
        {
            var kernel = new Kernel
            {
                TransB = transB, M = m, N = n, K = k, X = (nint)xp, B = (nint)b, Ldb = ldb, C = (nint)c, Ldc = ldc, Accumulate = accumulate,
                Blocks = blocks, Workers = Math.Min(threads, Math.Max(1, (int)Math.Min(blocks, (long)m * n * k / 32_768))),
            };
            Isa.Run(ref kernel);
        }
    }

    private struct Kernel : IWidthKernel
    {
        public bool TransB, Accumulate;
        public int M, N, K, Ldb, Ldc, Blocks, Workers;
        public nint X, B, C;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xp = X, bp = B, cp = C;
            int m = M, n = N, k = K, ldb = Ldb, ldc = Ldc;
            bool transB = TransB, accumulate = Accumulate;
            Parallelism.Run(Blocks, Workers, (s, e) =>
            {
                for (int blk = s; blk < e; blk++)
                {
                    int j0 = blk * Block, j1 = Math.Min(n, j0 + Block);
                    if (transB) Dots<S, V>((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                    else Axpys<S, V>((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                }
            });
        }
    }

    // c[i, j] (+)= Σ_p x[i, p] · b[j, p] for j in [j0, j1): B stored (n, ldb)
    private static void Dots<S, V>(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count;
        for (int j = j0; j < j1; j++)
        {
            float* row = b + (long)j * ldb;
            for (int i = 0; i < m; i++)
            {
                float* xi = x + (long)i * k;
                int p = 0;
                float sum = 0f;
                if (k >= w)
                {
                    V s0 = S.Zero, s1 = S.Zero;
                    for (; p <= k - 2 * w; p += 2 * w)
                    {
                        s0 = S.MulAdd(S.Load(xi + p), S.Load(row + p), s0);
                        s1 = S.MulAdd(S.Load(xi + p + w), S.Load(row + p + w), s1);
                    }
                    for (; p <= k - w; p += w) s0 = S.MulAdd(S.Load(xi + p), S.Load(row + p), s0);
                    sum = S.Sum(S.Add(s0, s1));
                }
                for (; p < k; p++) sum = MathF.FusedMultiplyAdd(xi[p], row[p], sum);
                float* dst = c + (long)i * ldc + j;
                *dst = accumulate ? *dst + sum : sum;
            }
        }
    }

    // c[i, j0:j1] (+)= Σ_p x[i, p] · b[p, j0:j1]: B stored (k, ldb)
    private static void Axpys<S, V>(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count;
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
                    var vs = S.Splat(s);
                    for (; j <= width - w; j += w) S.Store(S.MulAdd(vs, S.Load(row + j), S.Load(ap + j)), ap + j);
                    for (; j < width; j++) ap[j] = MathF.FusedMultiplyAdd(s, row[j], ap[j]);
                }
                float* dst = c + (long)i * ldc + j0;
                for (int j = 0; j < width; j++) dst[j] = accumulate ? dst[j] + ap[j] : ap[j];
            }
        }
    }
}
