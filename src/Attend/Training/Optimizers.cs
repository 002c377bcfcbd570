// Optimizers with torch.optim's update rules (../shared/golden/README.md §4.9): SGD (momentum, dampening, Nesterov, L2 weight decay),
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

    /// <summary>Restores one buffer saved from <see cref="State"/>; unknown names and wrong sizes are errors.</summary>
    public abstract void RestoreState(string name, ReadOnlySpan<float> values);

    /// <summary>Per-parameter step counts (bias corrections), for checkpoints.</summary>
    public virtual long[] ParameterSteps() => [];

    /// <summary>Restores the step counters saved with a checkpoint.</summary>
    public virtual void RestoreSteps(long stepCount, long[] parameterSteps) => StepCount = stepCount;

    /// <summary>The buffer index and kind in a state name "{index}.{kind}", checked against the parameters.</summary>
    protected (int Index, string Kind) ParseStateName(string name, ReadOnlySpan<float> values)
    {
        int dot = name.IndexOf('.');
        if (dot <= 0 || !int.TryParse(name.AsSpan(0, dot), out int index) || index < 0 || index >= Parameters.Count)
            throw new ArgumentException($"optimizer state '{name}' does not name one of the {Parameters.Count} parameters");
        if (values.Length != Parameters[index].Size)
            throw new ArgumentException($"optimizer state '{name}' has {values.Length} values; parameter {index} has {Parameters[index].Size}");
        return (index, name[(dot + 1)..]);
    }
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

    public override void RestoreState(string name, ReadOnlySpan<float> values)
    {
        var (i, kind) = ParseStateName(name, values);
        if (kind != "momentum_buffer") throw new ArgumentException($"SGD has no state '{kind}' (in '{name}')");
        values.CopyTo(_buffers[i] ??= new float[values.Length]);
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

    /// <summary>
    /// Which parameters weight decay applies to (index-aligned with the parameters; null = all), e.g. matrices but
    /// not biases or norms, as nanoGPT's optimizer groups do.
    /// </summary>
    public IReadOnlyList<bool>? DecayMask { get; init; }

    public override void Step()
    {
        if (DecayMask is { } mask && mask.Count != Parameters.Count) throw new InvalidOperationException($"decay mask has {mask.Count} entries for {Parameters.Count} parameters");
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is not { } grad) continue;
            long t = ++_steps[i];
            float wd = DecayMask is null || DecayMask[i] ? weightDecay : 0f;
            var w = p.Data;
            var m = _m[i];
            var v = _v[i];
            float lr = LearningRate;
            double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
            float stepSize = (float)(lr / bc1), bc2Sqrt = (float)Math.Sqrt(bc2);
            float decay = decoupled ? 1f - lr * wd : 1f;
            for (int j = 0; j < w.Length; j++)
            {
                float g = grad[j];
                if (decoupled) w[j] *= decay;
                else if (wd != 0f) g += wd * w[j];
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

    public override void RestoreState(string name, ReadOnlySpan<float> values)
    {
        var (i, kind) = ParseStateName(name, values);
        var target = kind switch
        {
            "exp_avg" => _m[i],
            "exp_avg_sq" => _v[i],
            _ => throw new ArgumentException($"Adam has no state '{kind}' (in '{name}')"),
        };
        values.CopyTo(target);
    }

    /// <summary>Steps taken by each parameter (their bias-correction counts).</summary>
    public override long[] ParameterSteps() => (long[])_steps.Clone();

    public override void RestoreSteps(long stepCount, long[] parameterSteps)
    {
        if (parameterSteps.Length != _steps.Length)
            throw new ArgumentException($"{parameterSteps.Length} per-parameter step counts for {_steps.Length} parameters");
        base.RestoreSteps(stepCount, parameterSteps);
        parameterSteps.CopyTo(_steps, 0);
    }
}
