// The score normalisation of attention as one op: softmax(scale · x, with −inf where the mask is true) over the last
// axis. It equals Softmax(MaskedFill(MulScalar(x, scale), mask, −inf)) — the composed form stays as its test oracle —
// but allocates one (…, Tq, Tk) tensor instead of three, reads the scores once in a fused kernel (scale, mask, max in
// one pass; Softmax.ScaledMaskedForward) and runs one backward pass instead of three: masked positions have y = 0, so
// the softmax gradient scale · y ⊙ (dy − ⟨dy, y⟩) is already zero there.
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
