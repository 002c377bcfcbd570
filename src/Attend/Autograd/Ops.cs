// Ops: the differentiable primitives (one file per family). Each op checks shapes, allocates its result, calls a
// kernel and, when gradients are wanted, records a backward closure that accumulates into its inputs' gradients.
using Attend.Kernels.Simd;
using Attend.Tensors;

namespace Attend.Autograd;

/// <summary>Differentiable tensor operations with PyTorch semantics.</summary>
public static partial class Ops
{
    /// <summary>True when a result of these inputs must record history.</summary>
    private static bool Tracks(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;
    private static bool Tracks(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);
    private static bool Tracks(Tensor[] inputs) => GradMode.IsEnabled && inputs.Any(t => t.RequiresGrad);

    /// <summary>A new tensor of zeros with the given shape.</summary>
    private static Tensor Zeroed(Shape shape) => new(TensorMemory.Zeroed(shape.Size), shape);

    /// <summary>
    /// A new tensor whose contents are unspecified, for ops that overwrite every element: skips zeroing, which costs
    /// as much as a layer norm on large activations.
    /// </summary>
    private static Tensor Uninitialized(Shape shape) => new(TensorMemory.Uninitialized(shape.Size), shape);

    /// <summary>Attaches history to <paramref name="result"/> when any parent requires a gradient.</summary>
    private static Tensor Record(Tensor result, Tensor[] parents, Action backward)
    {
        if (Tracks(parents)) result.SetHistory(parents, backward);
        return result;
    }

    /// <summary>into += from, element by element: how backward passes add a contribution (SIMD).</summary>
    private static void Accumulate(Span<float> into, ReadOnlySpan<float> from) => Elementwise.Binary<AddOperator>(into, from, into);

    /// <summary>into += scale · from.</summary>
    private static void Accumulate(Span<float> into, ReadOnlySpan<float> from, float scale) =>
        Elementwise.BinaryScalar<MultiplyOperator>(from, scale, into, accumulate: true);

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
