// The score normalisation of attention as one op: softmax(scale · x, with −inf where the mask is true) over the last
// axis. It equals Softmax(MaskedFill(MulScalar(x, scale), mask, −inf)) — the composed form stays as its test oracle —
// but allocates one (…, Tq, Tk) tensor instead of three and runs one backward pass instead of three: masked positions
// have y = 0, so the softmax gradient y ⊙ (dy − ⟨dy, y⟩) is already zero there.
using Attend.Kernels.Simd;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>softmax(scale·x masked with −inf) over the last axis. x: (..., Tq, Tk), mask broadcastable to x → (..., Tq, Tk).</summary>
    public static Tensor ScaledMaskedSoftmax(Tensor x, float scale, Mask? mask)
    {
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        bool[]? flags = mask is null ? null : IsTrailing(mask.Shape, x.Shape) ? mask.Data : Expand(mask, x.Shape);
        var y = Uninitialized(x.Shape);
        if (flags is null) Elementwise.BinaryScalar<MultiplyOperator>(x.Data, scale, y.Data);
        else if (flags.Length > 0)
        {
            int period = flags.Length;
            for (int o = 0; o < x.Size; o += period)
            {
                var xs = x.Data.AsSpan(o, period);
                var ys = y.Data.AsSpan(o, period);
                for (int i = 0; i < period; i++) ys[i] = flags[i] ? float.NegativeInfinity : scale * xs[i];
            }
        }
        Kernels.Normalization.Softmax.Forward(y.Data, y.Data, rows, cols); // row by row: each row is read before it is written
        return Record(y, [x], () =>
        {
            var dx = x.GradForOverwrite(out bool accumulate);
            if (!accumulate)
            {
                Kernels.Normalization.Softmax.Backward(y.Data, y.Grad, dx, rows, cols, accumulate: false);
                Elementwise.BinaryScalar<MultiplyOperator>(dx, scale, dx);
                return;
            }
            var dz = TensorMemory.Uninitialized(dx.Length);
            Kernels.Normalization.Softmax.Backward(y.Data, y.Grad, dz, rows, cols, accumulate: false);
            Elementwise.BinaryScalar<MultiplyOperator>(dz, scale, dx, accumulate: true);
        });
    }
}
