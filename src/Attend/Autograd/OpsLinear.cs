// F.linear: y = x·Wᵀ + b in one GEMM. The bias is written into every output row first and the product is accumulated
// onto it, so the result is produced in one pass instead of a product followed by a broadcast add (which read and
// wrote the whole output once more: at batch 32 × 128 tokens, a MiniLM forward pass moved 0.7 GB for its biases).
// Backward: dx = dy·W, dW += dyᵀ·x, db += Σ_rows dy. A weight packed for inference (Module.PackForInference) is read
// from its pack in the forward product, and the kernel adds the bias as it stores each tile.
using Attend.Kernels.Blas;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>
    /// x: (..., in), weight: (out, in), bias: (out) or null → (..., out). <paramref name="packed"/>, when given, is the
    /// weight as <c>Gemm.Pack(true, in, out, weight)</c> made it, and must hold its current values;
    /// <paramref name="activation"/> (with a pack, without gradients) is applied by the GEMM to its final sums.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, PackedMatrix? packed = null, GemmActivation activation = GemmActivation.None)
    {
        Require(weight.Rank == 2, $"linear: the weight must be (out, in), got {weight.Shape}");
        int outputs = weight.Shape[0], inputs = weight.Shape[1];
        Require(x.Rank >= 1 && x.Shape[-1] == inputs, $"linear: input {x.Shape} does not end in the weight's {inputs} inputs");
        Require(bias is null || bias.Rank == 1 && bias.Shape[0] == outputs, $"linear: the bias must be ({outputs}), got {bias?.Shape}");
        int rows = inputs == 0 ? 0 : x.Size / inputs;
        var dims = x.Shape.ToArray();
        dims[^1] = outputs;
        var y = inputs == 0 && bias is null ? Zeroed(new Shape(dims)) : Uninitialized(new Shape(dims));
        Require(packed is null || packed.K == inputs && packed.N == outputs, $"linear: the packed weight is ({packed?.K}, {packed?.N}), the weight ({inputs}, {outputs}) transposed");
        Require(activation == GemmActivation.None || packed is not null && !GradMode.IsEnabled, "linear: a fused activation needs packed weights and no gradients (it has no backward)");
        if (packed is not null)
        {
            // the kernel adds the bias where it stores each tile: the same sums as below, without writing y twice
            Gemm.Multiply(rows, x.Data, inputs, packed, y.Data, outputs, false, Kernels.Parallelism.Degree, bias is null ? default : bias.Data.AsSpan(0, outputs), activation);
        }
        else
        {
            if (bias is not null)
                for (int r = 0; r < rows; r++) bias.Data.AsSpan().CopyTo(y.Data.AsSpan(r * outputs, outputs));
            if (inputs > 0) Gemm.Multiply(false, true, rows, outputs, inputs, x.Data, inputs, weight.Data, inputs, y.Data, outputs, accumulate: bias is not null);
        }
        Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
        return Record(y, parents, () =>
        {
            float[] g = y.Grad!;
            if (rows == 0 || outputs == 0) return;
            if (x.RequiresGrad && inputs > 0)
            {
                var dx = x.GradForOverwrite(out bool acc);
                Gemm.Multiply(false, false, rows, inputs, outputs, g, outputs, weight.Data, inputs, dx, inputs, acc);   // dy·W
            }
            if (weight.RequiresGrad && inputs > 0)
            {
                var dw = weight.GradForOverwrite(out bool acc);
                Gemm.Multiply(true, false, outputs, inputs, rows, g, outputs, x.Data, inputs, dw, inputs, acc);         // dyᵀ·x
            }
            if (bias is { RequiresGrad: true })
            {
                var db = bias.GradBuffer();
                for (int r = 0; r < rows; r++) Accumulate(db, g.AsSpan(r * outputs, outputs));
            }
        });
    }
}
