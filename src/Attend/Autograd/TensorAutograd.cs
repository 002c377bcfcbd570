// `tensor.Backward()` for callers, as an extension so the Tensors layer stays below Autograd.
using Attend.Tensors;

namespace Attend.Autograd;

/// <summary>Backward pass entry points on <see cref="Tensor"/>.</summary>
public static class TensorAutograd
{
    /// <summary>Back-propagates from this tensor (cotangent defaults to 1 for one-element tensors).</summary>
    public static void Backward(this Tensor output, Tensor? cotangent = null) => Backpropagation.Run(output, cotangent);
}
