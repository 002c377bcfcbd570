// The "optim" section every run config shares: the optimiser, its learning-rate schedule, gradient clipping and
// accumulation. TrainerSetup turns it into an Optimizer and a LearningRateSchedule. A task adds the keys of its own
// batching and loss in a derived record (TokenBudgetOptimConfig: max_tokens and label_smoothing; the language model's
// and the forecaster's batch_size), and each task's config sets its own defaults.
namespace Attend.Training;

/// <summary>Which optimiser updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>Adam; weight_decay is an L2 penalty added to the gradient (PyTorch's Adam).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter; PyTorch's AdamW).</summary>
    Adamw,

    /// <summary>Plain stochastic gradient descent (as fastText trains its sparse bag of n-grams).</summary>
    Sgd,
}

/// <summary>How the learning rate moves over the run (see LearningRateSchedule.cs).</summary>
public enum ScheduleKind
{
    /// <summary>Linear warm-up to lr, then lr · √(warmup / step) (fairseq).</summary>
    InverseSqrt,

    /// <summary>The paper's: lr · d_model^−½ · min(step^−½, step · warmup^−1.5).</summary>
    Noam,

    /// <summary>Linear warm-up, then a cosine decay to min_lr over decay_steps (or the run's steps).</summary>
    Cosine,

    /// <summary>lr throughout (after no warm-up).</summary>
    Constant,

    /// <summary>lr, multiplied by gamma once per epoch after epoch decay_start (PatchTST's "type3").</summary>
    EpochDecay,
}

/// <summary>The optimiser and its schedule.</summary>
public record OptimConfig
{
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adamw;

    /// <summary>Peak learning rate.</summary>
    public float Lr { get; init; } = 1e-3f;

    /// <summary>Floor of the cosine decay.</summary>
    public float MinLr { get; init; }

    /// <summary>Adam's β₁ and β₂.</summary>
    public float[] Betas { get; init; } = [0.9f, 0.999f];

    public float Eps { get; init; } = 1e-8f;
    public float WeightDecay { get; init; }
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Steps of linear warm-up.</summary>
    public int Warmup { get; init; }

    /// <summary>Steps of the cosine decay (0 = train.max_steps, or else train.max_epochs of batches).</summary>
    public long DecaySteps { get; init; }

    /// <summary>epoch_decay: the factor applied once per epoch, and the 0-based epoch after which it starts.</summary>
    public float Gamma { get; init; } = 0.9f;

    public int DecayStart { get; init; } = 3;

    /// <summary>Batches whose gradients are summed into one update.</summary>
    public int Accumulation { get; init; } = 1;

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public float ClipNorm { get; init; } = 1f;

    /// <summary>The first problem found, naming its key, or null.</summary>
    public virtual string? Problem() =>
        !(Lr > 0) || !float.IsFinite(Lr) ? $"optim.lr: expected a positive rate, got {Lr}"
        : MinLr < 0 || MinLr > Lr ? $"optim.min_lr: expected [0, lr], got {MinLr}"
        : Betas.Length != 2 || Betas.Any(b => b is < 0 or >= 1 || float.IsNaN(b)) ? "optim.betas: expected two numbers in [0, 1)"
        : !(Eps > 0) ? $"optim.eps: expected a positive number, got {Eps}"
        : WeightDecay < 0 || float.IsNaN(WeightDecay) ? $"optim.weight_decay: expected a non-negative number, got {WeightDecay}"
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : DecaySteps < 0 ? $"optim.decay_steps: expected 0 (the run's steps) or more, got {DecaySteps}"
        : Gamma is <= 0 or > 1 || float.IsNaN(Gamma) ? $"optim.gamma: expected (0, 1], got {Gamma}"
        : DecayStart < 0 ? $"optim.decay_start: expected a non-negative epoch, got {DecayStart}"
        : Accumulation < 1 ? $"optim.accumulation: expected at least 1, got {Accumulation}"
        : ClipNorm < 0 || float.IsNaN(ClipNorm) ? $"optim.clip_norm: expected a non-negative norm, got {ClipNorm}"
        : null;
}

/// <summary>The "optim" section of tasks batched by a padded-token budget (translation, classification, tagging).</summary>
public sealed record TokenBudgetOptimConfig : OptimConfig
{
    /// <summary>Padded tokens per batch; sequences of similar length are batched together.</summary>
    public int MaxTokens { get; init; } = 4096;

    /// <summary>Label smoothing of the cross-entropy.</summary>
    public float LabelSmoothing { get; init; }

    /// <inheritdoc/>
    public override string? Problem() =>
        base.Problem()
        ?? (MaxTokens < 1 ? $"optim.max_tokens: expected at least 1, got {MaxTokens}"
        : LabelSmoothing is < 0 or >= 1 || float.IsNaN(LabelSmoothing) ? $"optim.label_smoothing: expected [0, 1), got {LabelSmoothing}"
        : null);
}
