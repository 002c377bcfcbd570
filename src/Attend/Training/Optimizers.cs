// Optimizers with torch.optim's update rules (golden §4.9): SGD (momentum, dampening, Nesterov, L2 weight decay),
// Adam (L2 weight decay added to the gradient) and AdamW (decoupled decay p ← p·(1 − lr·wd) first). Parameters
// without a gradient are skipped, as in PyTorch. State is exposed by name for checkpoints.
using Attend.Tensors;

namespace Attend.Training;

/// <summary>Updates parameters from their gradients.</summary>
public abstract class Optimizer(IReadOnlyList<Tensor> parameters, float lr)
{
    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; } = parameters;

    /// <summary>Learning rate of the next step (schedules set it).</summary>
    public float LearningRate { get; set; } = lr;

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Applies one update.</summary>
    public abstract void Step();

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>Per-parameter state buffers by name ("{index}.{buffer}"), for checkpoints; arrays are live.</summary>
    public abstract IEnumerable<(string Name, float[] Values)> State();
}

/// <summary>torch.optim.SGD.</summary>
public sealed class Sgd(IReadOnlyList<Tensor> parameters, float lr, float momentum = 0f, float dampening = 0f,
    bool nesterov = false, float weightDecay = 0f) : Optimizer(parameters, lr)
{
    private readonly float[]?[] _buffers = new float[]?[parameters.Count];

    public override void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is not { } grad) continue;
            var w = p.Data;
            var buf = momentum != 0f ? _buffers[i] : null;
            bool first = buf is null;
            if (momentum != 0f && first) buf = _buffers[i] = new float[w.Length];
            for (int j = 0; j < w.Length; j++)
            {
                float g = grad[j] + weightDecay * w[j];
                if (momentum != 0f)
                {
                    buf![j] = first ? g : momentum * buf[j] + (1f - dampening) * g;
                    g = nesterov ? g + momentum * buf[j] : buf[j];
                }
                w[j] -= LearningRate * g;
            }
        }
    }

    public override IEnumerable<(string Name, float[] Values)> State()
    {
        for (int i = 0; i < _buffers.Length; i++)
            if (_buffers[i] is { } b) yield return ($"{i}.momentum_buffer", b);
    }
}

/// <summary>torch.optim.Adam (decoupled = false) and torch.optim.AdamW (decoupled = true).</summary>
public sealed class Adam(IReadOnlyList<Tensor> parameters, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
    float weightDecay = 0f, bool decoupled = false) : Optimizer(parameters, lr)
{
    private readonly float[][] _m = parameters.Select(p => new float[p.Size]).ToArray();
    private readonly float[][] _v = parameters.Select(p => new float[p.Size]).ToArray();
    private readonly long[] _steps = new long[parameters.Count];

    /// <summary>AdamW with PyTorch's defaults except the learning rate.</summary>
    public static Adam W(IReadOnlyList<Tensor> parameters, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f) =>
        new(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true);

    public override void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is not { } grad) continue;
            long t = ++_steps[i];
            var w = p.Data;
            var m = _m[i];
            var v = _v[i];
            float lr = LearningRate;
            double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
            float stepSize = (float)(lr / bc1), bc2Sqrt = (float)Math.Sqrt(bc2);
            float decay = decoupled ? 1f - lr * weightDecay : 1f;
            for (int j = 0; j < w.Length; j++)
            {
                float g = grad[j];
                if (decoupled) w[j] *= decay;
                else if (weightDecay != 0f) g += weightDecay * w[j];
                m[j] = beta1 * m[j] + (1f - beta1) * g;
                v[j] = beta2 * v[j] + (1f - beta2) * g * g;
                w[j] -= stepSize * m[j] / (MathF.Sqrt(v[j]) / bc2Sqrt + eps);
            }
        }
    }

    public override IEnumerable<(string Name, float[] Values)> State()
    {
        for (int i = 0; i < _m.Length; i++)
        {
            yield return ($"{i}.exp_avg", _m[i]);
            yield return ($"{i}.exp_avg_sq", _v[i]);
        }
    }

    /// <summary>Steps taken by parameter <paramref name="index"/> (its bias-correction count).</summary>
    public long StepsOf(int index) => _steps[index];

    /// <summary>Restores the per-parameter step counts (checkpoint resume).</summary>
    public void SetSteps(long[] steps) => steps.CopyTo(_steps, 0);
}
