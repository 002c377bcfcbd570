// torch.nn.utils.clip_grad_norm_: one norm over all gradients together (2-norm or max-norm); when it exceeds
// max_norm every gradient is scaled by max_norm / (norm + 1e-6). Returns the norm before clipping.
using Attend.Tensors;

namespace Attend.Training;

/// <summary>Gradient clipping by global norm.</summary>
public static class GradientClipping
{
    /// <summary>Clips in place; <paramref name="normType"/> is 2 or <see cref="float.PositiveInfinity"/>.</summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm, float normType = 2f)
    {
        var grads = parameters.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        double total = 0;
        if (float.IsPositiveInfinity(normType))
        {
            foreach (var g in grads) foreach (float x in g) total = Math.Max(total, Math.Abs(x));
        }
        else if (normType == 2f)
        {
            foreach (var g in grads) foreach (float x in g) total += (double)x * x;
            total = Math.Sqrt(total);
        }
        else
        {
            throw new ArgumentException($"norm type must be 2 or infinity, got {normType}");
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) for (int i = 0; i < g.Length; i++) g[i] = (float)(g[i] * coef);
        return (float)total;
    }

    /// <summary>Multiplies every gradient by <paramref name="factor"/> (normalising summed micro-batch gradients).</summary>
    public static void ScaleGradients(IEnumerable<Tensor> parameters, float factor)
    {
        foreach (var p in parameters)
            if (p.Grad is { } g) for (int i = 0; i < g.Length; i++) g[i] *= factor;
    }
}
