// C = op(A)·op(B) for one small matrix product of a batch, computed straight from the operands. The blocked GEMM packs
// A and B into 12×32 tiles, which pays only when the product is big enough in all three sizes; for attention with
// narrow heads (PatchTST's 4 heads of width 4 on 64 patches: scores 64×64 from k = 4, contexts 64×4 from k = 64) the
// packing costs more than the arithmetic and most of the tile's lanes are empty. Three forms:
//   - along n (n ≥ 16, k ≤ 16): each row of C is a sum of k rows of op(B) scaled by op(A)(i, p), 16 columns per FMA;
//   - along m (n < 16, A transposed): the same form computes Cᵀ, whose rows are sums of A's stored rows, and Cᵀ is
//     written back transposed;
//   - along k (n < 16, A not transposed): each C(i, j) is a dot product of a row of A and a column of op(B), 16 terms
//     per FMA, four columns at a time.
// Operands that are not already contiguous in the needed direction are copied into a per-thread scratch first. The
// summation order depends only on the sizes, so results do not depend on the thread count.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Attend.Kernels.Blas;

internal static unsafe class TinyProduct
{
    private const int Lanes = 16;
    private const int MaxSide = 512;

    [ThreadStatic] private static float[]? _scratch;

    /// <summary>Whether this form beats the blocked GEMM for an (m, n, k) product (AVX-512 machines only).</summary>
    public static bool Applies(int m, int n, int k) =>
        Vector512.IsHardwareAccelerated && m <= MaxSide && n <= MaxSide && k <= MaxSide && (n < Lanes || k <= Lanes);

    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int need = Math.Max(k * n, m * n) + n * k;
        if (_scratch is null || _scratch.Length < need) _scratch = new float[Math.Max(need, 4096)];
        fixed (float* s = _scratch)
        {
            if (n >= Lanes)
            {
                AlongColumns(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, s);
            }
            else if (transA)
            {
                // Cᵀ (n, m) = op(B)ᵀ · A: A's stored rows are the rows of op(A)ᵀ, so along m without copying A.
                AlongColumns(!transB, false, n, m, k, b, ldb, a, lda, s, m, false, s + n * m);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) c[(long)i * ldc + j] = accumulate ? c[(long)i * ldc + j] + s[j * m + i] : s[j * m + i];
            }
            else
            {
                AlongInner(m, n, k, a, lda, transB, b, ldb, c, ldc, accumulate, s);
            }
        }
    }

    // C(i, :) (+)= Σ_p op(A)(i, p) · op(B)(p, :), op(B) rows contiguous (B itself, or Bᵀ copied to scratch (k, n)),
    // 64 columns (four independent FMA chains) at a time.
    private static void AlongColumns(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* s)
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
        int full = n - n % Lanes;
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (long)i * ldc;
            float* arow = a + i * ai;
            int j = 0;
            for (; j + 4 * Lanes <= full; j += 4 * Lanes)
            {
                Vector512<float> c0, c1, c2, c3;
                if (accumulate) { c0 = Vector512.Load(ci + j); c1 = Vector512.Load(ci + j + 16); c2 = Vector512.Load(ci + j + 32); c3 = Vector512.Load(ci + j + 48); }
                else c0 = c1 = c2 = c3 = Vector512<float>.Zero;
                for (int p = 0; p < k; p++)
                {
                    var x = Vector512.Create(arow[p * ap]);
                    float* r = rows + p * ldr + j;
                    c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(r), c0);
                    c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(r + 16), c1);
                    c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(r + 32), c2);
                    c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(r + 48), c3);
                }
                c0.Store(ci + j); c1.Store(ci + j + 16); c2.Store(ci + j + 32); c3.Store(ci + j + 48);
            }
            for (; j < full; j += Lanes)
            {
                var acc = accumulate ? Vector512.Load(ci + j) : Vector512<float>.Zero;
                for (int p = 0; p < k; p++)
                    acc = Vector512.FusedMultiplyAdd(Vector512.Create(arow[p * ap]), Vector512.Load(rows + p * ldr + j), acc);
                acc.Store(ci + j);
            }
            for (; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(arow[p * ap], rows[p * ldr + j], sum);
                ci[j] = accumulate ? ci[j] + sum : sum;
            }
        }
    }

    // The four lane sums (Σ s0, Σ s1, Σ s2, Σ s3) in one vector: halves added down to 4 lanes, then two horizontal adds.
    private static Vector128<float> Sum4(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
    {
        static Vector128<float> Fold(Vector512<float> v)
        {
            var h = v.GetLower() + v.GetUpper();
            return h.GetLower() + h.GetUpper();
        }
        return Sse3.HorizontalAdd(Sse3.HorizontalAdd(Fold(s0), Fold(s1)), Sse3.HorizontalAdd(Fold(s2), Fold(s3)));
    }

    // C(i, j) (+)= A(i, :) · op(B)(:, j) for n < 16: A's rows are contiguous; op(B)'s columns are Bᵀ's rows, or B copied
    // to scratch (n, k). Four columns share each load of A's row.
    private static void AlongInner(int m, int n, int k, float* a, int lda, bool transB, float* b, int ldb, float* c, int ldc, bool accumulate, float* s)
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
        int full = k - k % Lanes;
        for (int i = 0; i < m; i++)
        {
            float* r = a + (long)i * lda;
            float* ci = c + (long)i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                float* q0 = cols + j * ldcol, q1 = q0 + ldcol, q2 = q1 + ldcol, q3 = q2 + ldcol;
                Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < full; p += Lanes)
                {
                    var x = Vector512.Load(r + p);
                    s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(q0 + p), s0);
                    s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(q1 + p), s1);
                    s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(q2 + p), s2);
                    s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(q3 + p), s3);
                }
                var d = Sum4(s0, s1, s2, s3);
                for (int p = full; p < k; p++)
                    d += Vector128.Create(r[p]) * Vector128.Create(q0[p], q1[p], q2[p], q3[p]);
                if (accumulate) d += Vector128.Load(ci + j);
                d.Store(ci + j);
            }
            for (; j < n; j++)
            {
                float* q = cols + j * ldcol;
                var acc = Vector512<float>.Zero;
                for (int p = 0; p < full; p += Lanes) acc = Vector512.FusedMultiplyAdd(Vector512.Load(r + p), Vector512.Load(q + p), acc);
                float sum = Vector512.Sum(acc);
                for (int p = full; p < k; p++) sum = MathF.FusedMultiplyAdd(r[p], q[p], sum);
                ci[j] = accumulate ? ci[j] + sum : sum;
            }
        }
    }
}
