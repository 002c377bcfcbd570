// Softmax and log-softmax over the last axis (max-subtracted; fully −inf rows give NaN as in PyTorch) and layer norm.
using Attend.Kernels.Normalization;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>softmax over the last axis. x: (..., N) → (..., N).</summary>
    public static Tensor Softmax(Tensor x)
    {
        var y = Uninitialized(x.Shape);
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        Kernels.Normalization.Softmax.Forward(x.Data, y.Data, rows, cols);
        return Record(y, [x], () =>
        {
            var dx = x.GradForOverwrite(out bool accumulate);
            Kernels.Normalization.Softmax.Backward(y.Data, y.Grad, dx, rows, cols, accumulate);
        });
    }

    /// <summary>log-softmax over the last axis. x: (..., N) → (..., N).</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        var y = Uninitialized(x.Shape);
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        Kernels.Normalization.Softmax.LogForward(x.Data, y.Data, rows, cols);
        return Record(y, [x], () =>
        {
            var dx = x.GradForOverwrite(out bool accumulate);
            Kernels.Normalization.Softmax.LogBackward(y.Data, y.Grad, dx, rows, cols, accumulate);
        });
    }

    /// <summary>
    /// LayerNorm(x + residual) for inference, the sum normalised row by row as it is made: equal to
    /// <c>LayerNorm(Add(x, residual), …)</c> bit for bit. x, residual: the same (..., C). It records no backward.
    /// </summary>
    public static Tensor AddLayerNorm(Tensor x, Tensor residual, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        Require(x.Shape == residual.Shape, $"add + layer norm: x {x.Shape} and the residual {residual.Shape} differ");
        Require(!GradMode.IsEnabled || !(x.RequiresGrad || residual.RequiresGrad || weight?.RequiresGrad == true || bias?.RequiresGrad == true),
            "add + layer norm is for inference: it has no backward");
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        Require(weight is null || weight.Shape == new Shape(cols), $"layer norm: weight shape {weight?.Shape} must be ({cols})");
        Require(bias is null || bias.Shape == new Shape(cols), $"layer norm: bias shape {bias?.Shape} must be ({cols})");
        var y = Uninitialized(x.Shape);
        Kernels.Normalization.LayerNorm.Forward(x.Data, residual.Data, weight?.Data ?? [], bias?.Data ?? [], y.Data, new float[rows], new float[rows], rows, cols, eps);
        return y;
    }

    /// <summary>
    /// Layer norm over the last axis (biased variance, eps inside the root). x: (..., C), weight, bias: (C) or null → (..., C).
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        int cols = x.Shape.Last, rows = cols == 0 ? 0 : x.Size / cols;
        Require(weight is null || weight.Shape == new Shape(cols), $"layer norm: weight shape {weight?.Shape} must be ({cols})");
        Require(bias is null || bias.Shape == new Shape(cols), $"layer norm: bias shape {bias?.Shape} must be ({cols})");
        var y = Uninitialized(x.Shape);
        var mean = new float[rows];
        var rstd = new float[rows];
        Kernels.Normalization.LayerNorm.Forward(x.Data, weight?.Data ?? [], bias?.Data ?? [], y.Data, mean, rstd, rows, cols, eps);
        Tensor[] parents = weight is null ? (bias is null ? [x] : [x, bias]) : (bias is null ? [x, weight] : [x, weight, bias]);
        return Record(y, parents, () =>
        {
            bool accumulate = false;
            var dx = x.RequiresGrad ? x.GradForOverwrite(out accumulate) : [];
            Kernels.Normalization.LayerNorm.Backward(y.Grad, x.Data, weight?.Data ?? [], mean, rstd, dx,
                weight is { RequiresGrad: true } ? weight.GradBuffer() : [],
                bias is { RequiresGrad: true } ? bias.GradBuffer() : [], rows, cols, accumulate);
        });
    }
}
