// C = op(A)·op(B) for one small matrix product of a batch, computed straight from the operands. The blocked GEMM packs
// A and B into 12×32 tiles, which pays only when the product is big enough in all three sizes; for attention with
// narrow heads (PatchTST's 4 heads of width 4 on 64 patches: scores 64×64 from k = 4, contexts 64×4 from k = 64) the
// packing costs more than the arithmetic and most of the tile's lanes are empty. Three forms:
//   - along n (n ≥ 16, k ≤ 16): each row of C is a sum of k rows of op(B) scaled by op(A)(i, p), a vector of columns
//     per FMA;
//   - along m (n < 16, A transposed): the same form computes Cᵀ, whose rows are sums of A's stored rows, and Cᵀ is
//     written back transposed;
//   - along k (n < 16, A not transposed): each C(i, j) is a dot product of a row of A and a column of op(B), a vector
//     of terms per FMA, four columns at a time.
// Operands that are not already contiguous in the needed direction are copied into a per-thread scratch first. The
// summation order depends only on the sizes, so results do not depend on the thread count. Written once over the
// vector width (ISimd); Isa.Run picks it.
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

internal static unsafe class TinyProduct
{
    private const int Narrow = 16;
    private const int MaxSide = 512;

    [ThreadStatic] private static float[]? _scratch;

    /// <summary>Whether this form beats the blocked GEMM for an (m, n, k) product: one side narrow, none large.</summary>
    public static bool Applies(int m, int n, int k) => m <= MaxSide && n <= MaxSide && k <= MaxSide && (n < Narrow || k <= Narrow);

    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int need = Math.Max(k * n, m * n) + n * k;
        if (_scratch is null || _scratch.Length < need) _scratch = new float[Math.Max(need, 4096)];
        fixed (float* s = _scratch)
        {
            var kernel = new Kernel
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, A = (nint)a, Lda = lda, B = (nint)b, Ldb = ldb, C = (nint)c, Ldc = ldc,
                Accumulate = accumulate, Scratch = (nint)s,
            };
            Isa.Run(ref kernel);
        }
    }

    private struct Kernel : IWidthKernel
    {
        public bool TransA, TransB, Accumulate;
        public int M, N, K, Lda, Ldb, Ldc;
        public nint A, B, C, Scratch;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            float* a = (float*)A, b = (float*)B, c = (float*)C, s = (float*)Scratch;
            int m = M, n = N, k = K;
            if (n >= Narrow)
            {
                AlongColumns<S, V>(TransA, TransB, m, n, k, a, Lda, b, Ldb, c, Ldc, Accumulate, s);
            }
            else if (TransA)
            {
                // Cᵀ (n, m) = op(B)ᵀ · A: A's stored rows are the rows of op(A)ᵀ, so along m without copying A.
                AlongColumns<S, V>(!TransB, false, n, m, k, b, Ldb, a, Lda, s, m, false, s + n * m);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) c[(long)i * Ldc + j] = Accumulate ? c[(long)i * Ldc + j] + s[j * m + i] : s[j * m + i];
            }
            else
            {
                AlongInner<S, V>(m, n, k, a, Lda, TransB, b, Ldb, c, Ldc, Accumulate, s);
            }
        }
    }

    // C(i, :) (+)= Σ_p op(A)(i, p) · op(B)(p, :), op(B) rows contiguous (B itself, or Bᵀ copied to scratch (k, n)),
    // four vectors of columns (four independent FMA chains) at a time.
    private static void AlongColumns<S, V>(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* s)
        where S : struct, ISimd<V> where V : struct
    {
        float* rows = b;
        long ldr = ldb;
        if (transB)
        {
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) s[p * n + j] = b[(long)j * ldb + p];
            rows = s;
            ldr = n;
        }
        long ai = transA ? 1 : lda, ap = transA ? lda : 1;
        int w = S.Count;
        int full = n - n % w;
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (long)i * ldc;
            float* arow = a + i * ai;
            int j = 0;
            for (; j + 4 * w <= full; j += 4 * w)
            {
                V c0, c1, c2, c3;
                if (accumulate) { c0 = S.Load(ci + j); c1 = S.Load(ci + j + w); c2 = S.Load(ci + j + 2 * w); c3 = S.Load(ci + j + 3 * w); }
                else c0 = c1 = c2 = c3 = S.Zero;
                for (int p = 0; p < k; p++)
                {
                    var x = S.Splat(arow[p * ap]);
                    float* r = rows + p * ldr + j;
                    c0 = S.MulAdd(x, S.Load(r), c0);
                    c1 = S.MulAdd(x, S.Load(r + w), c1);
                    c2 = S.MulAdd(x, S.Load(r + 2 * w), c2);
                    c3 = S.MulAdd(x, S.Load(r + 3 * w), c3);
                }
                S.Store(c0, ci + j); S.Store(c1, ci + j + w); S.Store(c2, ci + j + 2 * w); S.Store(c3, ci + j + 3 * w);
            }
            for (; j < full; j += w)
            {
                var acc = accumulate ? S.Load(ci + j) : S.Zero;
                for (int p = 0; p < k; p++) acc = S.MulAdd(S.Splat(arow[p * ap]), S.Load(rows + p * ldr + j), acc);
                S.Store(acc, ci + j);
            }
            for (; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(arow[p * ap], rows[p * ldr + j], sum);
                ci[j] = accumulate ? ci[j] + sum : sum;
            }
        }
    }

    // C(i, j) (+)= A(i, :) · op(B)(:, j) for n < 16: A's rows are contiguous; op(B)'s columns are Bᵀ's rows, or B copied
    // to scratch (n, k). Four columns share each load of A's row.
    private static void AlongInner<S, V>(int m, int n, int k, float* a, int lda, bool transB, float* b, int ldb, float* c, int ldc, bool accumulate, float* s)
        where S : struct, ISimd<V> where V : struct
    {
        float* cols = b;
        long ldcol = ldb;
        if (!transB)
        {
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) s[j * k + p] = b[(long)p * ldb + j];
            cols = s;
            ldcol = k;
        }
        int w = S.Count;
        int full = k - k % w;
        for (int i = 0; i < m; i++)
        {
            float* r = a + (long)i * lda;
            float* ci = c + (long)i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                float* q0 = cols + j * ldcol, q1 = q0 + ldcol, q2 = q1 + ldcol, q3 = q2 + ldcol;
                V s0 = S.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < full; p += w)
                {
                    var x = S.Load(r + p);
                    s0 = S.MulAdd(x, S.Load(q0 + p), s0);
                    s1 = S.MulAdd(x, S.Load(q1 + p), s1);
                    s2 = S.MulAdd(x, S.Load(q2 + p), s2);
                    s3 = S.MulAdd(x, S.Load(q3 + p), s3);
                }
                float d0 = S.Sum(s0), d1 = S.Sum(s1), d2 = S.Sum(s2), d3 = S.Sum(s3);
                for (int p = full; p < k; p++)
                {
                    float x = r[p];
                    d0 += x * q0[p]; d1 += x * q1[p]; d2 += x * q2[p]; d3 += x * q3[p];
                }
                if (accumulate) { d0 += ci[j]; d1 += ci[j + 1]; d2 += ci[j + 2]; d3 += ci[j + 3]; }
                ci[j] = d0; ci[j + 1] = d1; ci[j + 2] = d2; ci[j + 3] = d3;
            }
            for (; j < n; j++)
            {
                float* q = cols + j * ldcol;
                var acc = S.Zero;
                for (int p = 0; p < full; p += w) acc = S.MulAdd(S.Load(r + p), S.Load(q + p), acc);
                float sum = S.Sum(acc);
                for (int p = full; p < k; p++) sum = MathF.FusedMultiplyAdd(r[p], q[p], sum);
                ci[j] = accumulate ? ci[j] + sum : sum;
            }
        }
    }
}
