// Reverse-mode differentiation: a topological order of the graph from the output (iterative DFS, so deep unrolled
// recurrences cannot overflow the stack), then each node's backward step in reverse order (micrograd engine.py).
using Attend.Tensors;

namespace Attend.Autograd;

/// <summary>Runs backward passes.</summary>
public static class Backpropagation
{
    /// <summary>
    /// Accumulates d(⟨output, cotangent⟩)/d(leaf) into every reachable tensor's <see cref="Tensor.Grad"/>.
    /// A null cotangent means ones, which requires a one-element output. Inside a <see cref="TensorMemory.Recycle"/>
    /// scope only leaves keep their gradients: op results' are recycled as soon as they have been propagated.
    /// </summary>
    public static void Run(Tensor output, Tensor? cotangent = null)
    {
        if (!output.RequiresGrad) throw new InvalidOperationException($"backward from {output}: it does not require a gradient (no parameter or input with RequiresGrad led to it)");
        if (cotangent is null && output.Size != 1) throw new InvalidOperationException($"backward from {output} needs a cotangent: only one-element outputs default to 1");
        if (cotangent is not null && cotangent.Shape != output.Shape) throw new ArgumentException($"cotangent shape {cotangent.Shape} differs from output shape {output.Shape}");

        if (cotangent is null)
        {
            output.GradBuffer()[0] += 1f;
        }
        else
        {
            var grad = output.GradForOverwrite(out bool accumulate);
            if (accumulate) Kernels.Simd.Elementwise.Binary<Kernels.Simd.AddOperator>(grad, cotangent.Data, grad);
            else cotangent.Data.AsSpan().CopyTo(grad);
        }

        var order = TopologicalOrder(output);
        bool recycling = TensorMemory.IsRecycling;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.Grad is null || node.BackwardStep is null) continue;
            node.BackwardStep();
            // inside a recycling scope an op result's gradient is spent once its step has run: hand it back for reuse
            // (a view may have handed its gradient on to its input already)
            if (recycling && node.Grad is { } spent)
            {
                TensorMemory.Release(spent);
                node.Grad = null;
            }
        }
    }

    /// <summary>Nodes reachable from <paramref name="root"/>, each after all of its parents.</summary>
    internal static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Parents.Length)
            {
                stack.Push((node, next + 1));
                var parent = node.Parents[next];
                if (parent.RequiresGrad && visited.Add(parent)) stack.Push((parent, 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }
}
