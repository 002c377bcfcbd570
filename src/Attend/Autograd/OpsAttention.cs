// The score normalisation of attention as one op: softmax(scale · x, with −inf where the mask is true) over the last
// axis. It equals Softmax(MaskedFill(MulScalar(x, scale), mask, −inf)) — the composed form stays as its test oracle —
// but allocates one (…, Tq, Tk) tensor instead of three, reads the scores once in a fused kernel (scale, mask, max in
// one pass; Softmax.ScaledMaskedForward) and runs one backward pass instead of three: masked positions have y = 0, so
// the softmax gradient scale · y ⊙ (dy − ⟨dy, y⟩) is already zero there.
using Attend.Kernels.Blas;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>softmax(scale·x masked with −inf) over the last axis. x: (..., Tq, Tk), mask broadcastable to x → (..., Tq, Tk).</summary>
    public static Tensor ScaledMaskedSoftmax(Tensor x, float scale, Mask? mask)
    {
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        bool[]? flags = mask is null ? null : mask.Shape.IsTrailingOf(x.Shape) ? mask.Data : Expand(mask, x.Shape);
        var y = Uninitialized(x.Shape);
        Kernels.Normalization.Softmax.ScaledMaskedForward(x.Data, flags, y.Data, rows, cols, scale);
        return Record(y, [x], () =>
        {
            var dx = x.GradForOverwrite(out bool accumulate);
            Kernels.Normalization.Softmax.ScaledBackward(y.Data, y.Grad, dx, rows, cols, scale, accumulate);
        });
    }
}

public static partial class Ops
{
    /// <summary>
    /// Attention of <paramref name="q"/> (n, H, tq, D) over the first <paramref name="length"/> positions of a key/value
    /// cache whose arrays are laid out (n, H, <paramref name="capacity"/>, D) (Decoding.KvCache; they may be longer),
    /// read where they lie: softmax(q·kᵀ/√D, masked)·v → (n, H, tq, D). The same products, in the same order, as
    /// <c>Attention.ScaledDotProduct</c> over the copied prefix, so the two agree to the bit. Inference only: it records
    /// no backward.
    /// </summary>
    public static Tensor CachedAttention(Tensor q, float[] keys, float[] values, int capacity, int length, Mask? mask)
    {
        Require(q.Rank == 4, $"cached attention: queries must be (n, H, tq, D), got {q.Shape}");
        int batch = q.Shape[0] * q.Shape[1], tq = q.Shape[2], d = q.Shape[3];
        long stride = (long)capacity * d;
        Require(length >= 1 && length <= capacity && keys.Length >= batch * stride && values.Length >= batch * stride,
            $"cached attention: {length} positions of a cache of {capacity} for {q.Shape}");
        Require(!GradMode.IsEnabled || !q.RequiresGrad, "cached attention is for inference: it has no backward");
        var scores = Uninitialized(new Shape(q.Shape[0], q.Shape[1], tq, length));                 // (n, H, tq, t)
        Product(batch, false, true, tq, length, d, q.Data, d, (long)tq * d, keys, d, stride, scores.Data, length, (long)tq * length, false);
        var weights = ScaledMaskedSoftmax(scores, 1f / MathF.Sqrt(d), mask);
        var context = Uninitialized(q.Shape);                                                      // (n, H, tq, D)
        Product(batch, false, false, tq, d, length, weights.Data, length, (long)tq * length, values, d, stride, context.Data, d, (long)tq * d, false);
        return context;
    }
}

public static partial class Ops
{
    /// <summary>
    /// Multi-head attention straight from the projections, for inference: <paramref name="q"/> (B, Tq, H·D) and
    /// <paramref name="k"/>, <paramref name="v"/> (B, Tk, H·D) hold the heads side by side, as the query, key and value
    /// layers write them; each head's products read its D columns in place (leading dimension H·D) and write its
    /// context into its columns of the result (B, Tq, H·D). It equals splitting the heads with permutes, running
    /// <c>Attention.ScaledDotProduct</c> and joining them again, bit for bit, without the four copies. The mask is
    /// broadcastable to the scores (B, H, Tq, Tk), true where masked. It records no backward.
    /// </summary>
    public static Tensor SideBySideHeadsAttention(Tensor q, Tensor k, Tensor v, int heads, Mask? mask)
    {
        Require(q.Rank == 3 && k.Rank == 3 && v.Rank == 3 && q.Shape[0] == k.Shape[0] && k.Shape == v.Shape && q.Shape[2] == k.Shape[2],
            $"side-by-side heads attention: q (B, Tq, C), k and v (B, Tk, C), got {q.Shape}, {k.Shape}, {v.Shape}");
        int b = q.Shape[0], tq = q.Shape[1], tk = k.Shape[1], c = q.Shape[2];
        Require(heads >= 1 && c % heads == 0, $"side-by-side heads attention: {c} columns do not split into {heads} heads");
        Require(!GradMode.IsEnabled || !(q.RequiresGrad || k.RequiresGrad || v.RequiresGrad), "side-by-side heads attention is for inference: it has no backward");
        int d = c / heads;
        var scores = Uninitialized(new Shape(b, heads, tq, tk));                                     // (B, H, Tq, Tk)
        var scoreShape = scores.Shape;
        bool[]? flags = mask is null ? null : mask.Shape.IsTrailingOf(scoreShape) ? mask.Data : Expand(mask, scoreShape);
        long perBatch = (long)heads * tq * tk;
        for (int i = 0; i < b; i++)
            HeadProducts(heads, false, true, tq, tk, d, q.Data.AsSpan(i * tq * c), c, d, k.Data.AsSpan(i * tk * c), c, d,
                scores.Data.AsSpan((int)(i * perBatch)), tk, (long)tq * tk, b);                       // q_h·k_hᵀ

        Kernels.Normalization.Softmax.ScaledMaskedForward(scores.Data, flags, scores.Data, b * heads * tq, tk, 1f / MathF.Sqrt(d));
        var context = Uninitialized(q.Shape);                                                       // (B, Tq, H·D)
        for (int i = 0; i < b; i++)
            HeadProducts(heads, false, false, tq, d, tk, scores.Data.AsSpan((int)(i * perBatch)), tk, (long)tq * tk, v.Data.AsSpan(i * tk * c), c, d,
                context.Data.AsSpan(i * tq * c), c, d, b);                                            // weights_h·v_h

        return context;
    }

    // one sequence's heads, item i of each operand `stride` floats after item i − 1 (a head's D columns, or its block of
    // scores): the GEMM path per item that MatMul's batched product takes, so that the results are the same
    private static void HeadProducts(int heads, bool ta, bool tb, int m, int n, int k, ReadOnlySpan<float> a, int lda, long sa,
        ReadOnlySpan<float> bm, int ldb, long sb, Span<float> c, int ldc, long sc, int sequences)
    {
        if (heads * sequences == 1) Gemm.Multiply(ta, tb, m, n, k, a, lda, bm, ldb, c, ldc);
        else Gemm.MultiplyBatched(heads, ta, tb, m, n, k, a, lda, sa, bm, ldb, sb, c, ldc, sc);
    }
}
