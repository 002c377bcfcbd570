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
