// Matrix products (torch.matmul semantics for the cases models use), with optionally transposed operands:
// (M, K)·(K, N); (..., M, K)·(K, N) with a shared right matrix; (..., M, K)·(..., K, N) batched with equal batch dims.
using Attend.Kernels.Blas;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>
    /// op(a)·op(b) where op transposes the last two axes when asked. a: (..., M, K) or (M, K), b: (K, N) or (..., K, N) → (..., M, N).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        Require(a.Rank >= 2 && b.Rank >= 2, $"matmul needs operands of rank ≥ 2, got {a.Shape} and {b.Shape}");
        int m = transposeA ? a.Shape[-1] : a.Shape[-2], ka = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2], n = transposeB ? b.Shape[-2] : b.Shape[-1];
        Require(ka == kb, $"matmul: inner sizes differ: {a.Shape}{(transposeA ? "ᵀ" : "")} · {b.Shape}{(transposeB ? "ᵀ" : "")}");
        int batchA = a.Size / Math.Max(1, a.Shape[-1] * a.Shape[-2]);
        int batchB = b.Size / Math.Max(1, b.Shape[-1] * b.Shape[-2]);
        if (b.Rank > 2 || a.Rank > 2)
        {
            Require(b.Rank == 2 || a.Rank == 2 || a.Rank == b.Rank && SameBatch(a.Shape, b.Shape),
                $"matmul: batch dimensions of {a.Shape} and {b.Shape} must match (or one operand be a matrix)");
        }
        int batch = Math.Max(batchA, batchB);
        var dims = (b.Rank > 2 ? b.Shape : a.Shape).ToArray();
        dims[^2] = m;
        dims[^1] = n;
        var y = ka == 0 ? Zeroed(new Shape(dims)) : Uninitialized(new Shape(dims)); // k = 0 leaves C to the zeros
        int lda = a.Shape[-1], ldb = b.Shape[-1];
        long sa = batchA == 1 ? 0 : (long)m * ka, sb = batchB == 1 ? 0 : (long)ka * n;
        Product(batch, transposeA, transposeB, m, n, ka, a.Data, lda, sa, b.Data, ldb, sb, y.Data, n, (long)m * n, false);
        return Record(y, [a, b], () =>
        {
            float[] g = y.Grad!;
            // a product with an empty inner dimension writes nothing, so only a non-empty one may overwrite a fresh buffer
            bool writes = batch > 0 && n > 0 && m > 0;
            if (a.RequiresGrad)
            {
                bool acc = true;
                var da = writes ? a.GradForOverwrite(out acc) : a.GradBuffer();
                // dA = dC·op(B)ᵀ (A plain) or op(B)·dCᵀ (A transposed)
                if (!transposeA) Product(batch, false, !transposeB, m, ka, n, g, n, (long)m * n, b.Data, ldb, sb, da, lda, sa, acc);
                else Product(batch, transposeB, true, ka, m, n, b.Data, ldb, sb, g, n, (long)m * n, da, lda, sa, acc);
            }
            if (b.RequiresGrad)
            {
                bool acc = true;
                var db = writes ? b.GradForOverwrite(out acc) : b.GradBuffer();
                // dB = op(A)ᵀ·dC (B plain) or dCᵀ·op(A) (B transposed)
                if (!transposeB) Product(batch, !transposeA, false, ka, n, m, a.Data, lda, sa, g, n, (long)m * n, db, ldb, sb, acc);
                else Product(batch, true, transposeA, n, ka, m, g, n, (long)m * n, a.Data, lda, sa, db, ldb, sb, acc);
            }
        });
    }

    private static bool SameBatch(Shape a, Shape b)
    {
        for (int i = 0; i < a.Rank - 2; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    /// <summary>
    /// Batched GEMM; a stride of 0 marks a matrix shared by every item (when that is C, the items' products are summed).
    /// Stacks of contiguous matrices are folded into one large GEMM where the algebra allows.
    /// </summary>
    private static void Product(int batch, bool ta, bool tb, int m, int n, int k, float[] a, int lda, long sa,
        float[] b, int ldb, long sb, float[] c, int ldc, long sc, bool accumulate)
    {
        if (batch == 1)
        {
            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (sc != 0 && sa != 0 && sb == 0 && !ta)
        {
            // [A₁; A₂; …]·op(B) = [C₁; C₂; …]: fold the batch into M
            Gemm.Multiply(false, tb, m * batch, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (sc == 0 && sa != 0 && sb != 0 && ta && !tb)
        {
            // Σᵢ Aᵢᵀ·Bᵢ = [A₁; A₂; …]ᵀ·[B₁; B₂; …]: fold the batch into K
            Gemm.Multiply(true, false, m, n, k * batch, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (sc == 0)
        {
            for (int i = 0; i < batch; i++)
                Gemm.Multiply(ta, tb, m, n, k, a.AsSpan((int)(i * sa)), lda, b.AsSpan((int)(i * sb)), ldb, c, ldc, accumulate || i > 0);
        }
        else
        {
            Gemm.MultiplyBatched(batch, ta, tb, m, n, k, a, lda, sa, b, ldb, sb, c, ldc, sc, accumulate);
        }
    }
}
