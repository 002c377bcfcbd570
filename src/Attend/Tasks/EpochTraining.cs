// What classification and tagging runs share: the "optim" and "train" sections of their configs (Adam with decoupled
// weight decay, or plain SGD; warm-up then cosine decay over train.max_epochs, or a constant rate; batches cut by a
// padded-token budget; epoch-based limits with validation, patience and checkpoint averaging) and the trainer they
// make.
using Attend.Nn;
using Attend.Text.Corpora;
using Attend.Training;

namespace Attend.Tasks;

/// <summary>The optimiser, its schedule and the batch budget.</summary>
public sealed record EpochOptimConfig
{
    /// <summary>"adam" (decoupled weight decay, i.e. AdamW) or "sgd" (plain, as fastText trains its sparse bag of n-grams).</summary>
    public string Optimizer { get; init; } = "adam";
    public float Lr { get; init; } = 1e-3f;
    public float WeightDecay { get; init; }
    /// <summary>"cosine" (to zero over train.max_epochs) or "constant", after a linear warm-up.</summary>
    public string Schedule { get; init; } = "cosine";
    public int Warmup { get; init; } = 100;
    /// <summary>Padded tokens (words) per batch; sequences of similar length are batched together.</summary>
    public int MaxTokens { get; init; } = 8192;
    public float ClipNorm { get; init; } = 1f;
    public float LabelSmoothing { get; init; }

    public string? Problem() =>
        Optimizer is not ("adam" or "sgd") ? $"optim.optimizer: expected adam or sgd, got \"{Optimizer}\""
        : Lr <= 0 ? $"optim.lr: expected a positive rate, got {Lr}"
        : WeightDecay < 0 ? $"optim.weight_decay: expected a non-negative number, got {WeightDecay}"
        : Schedule is not ("cosine" or "constant") ? $"optim.schedule: expected cosine or constant, got \"{Schedule}\""
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : MaxTokens < 1 ? $"optim.max_tokens: expected at least 1, got {MaxTokens}"
        : ClipNorm < 0 ? $"optim.clip_norm: expected a non-negative norm, got {ClipNorm}"
        : LabelSmoothing is < 0 or >= 1 ? $"optim.label_smoothing: expected [0, 1), got {LabelSmoothing}"
        : null;
}

/// <summary>Loop limits and validation.</summary>
public sealed record EpochTrainConfig
{
    public int MaxEpochs { get; init; } = 5;
    public double MaxMinutes { get; init; } = 30;
    /// <summary>Validate every this many updates (0 = once per epoch).</summary>
    public int ValidEvery { get; init; }
    /// <summary>Stop after this many validations without a better score (0 = never).</summary>
    public int Patience { get; init; }
    /// <summary>Average the weights of the last N validations at the end, kept if it validates better (0 = off).</summary>
    public int AverageLast { get; init; }
    /// <summary>Validate and export an exponential moving average of the weights with this decay per update (0 = off; e.g. 0.99).</summary>
    public double EmaDecay { get; init; }
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }

    public string? Problem() =>
        MaxEpochs < 0 || MaxMinutes < 0 ? "train.max_epochs and train.max_minutes must not be negative"
        : MaxEpochs == 0 && MaxMinutes == 0 ? "train: set max_epochs or max_minutes so training ends"
        : ValidEvery < 0 ? $"train.valid_every: expected 0 (each epoch) or more, got {ValidEvery}"
        : Patience < 0 ? $"train.patience: expected 0 (never) or more, got {Patience}"
        : AverageLast < 0 ? $"train.average_last: expected 0 (off) or more, got {AverageLast}"
        : EmaDecay is < 0 or >= 1 || double.IsNaN(EmaDecay) ? $"train.ema_decay: expected [0, 1) (0 = off), got {EmaDecay}"
        : LogEvery < 1 ? $"train.log_every: expected at least 1, got {LogEvery}"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : null;
}

/// <summary>Builds the trainer of an epoch-based run.</summary>
public static class EpochTraining
{
    /// <summary>The optimiser over <paramref name="model"/>'s parameters, the schedule and the trainer for <paramref name="task"/>.</summary>
    public static Trainer Create(ITrainingTask task, Module model, EpochOptimConfig o, EpochTrainConfig t, int seed, Action<string> log)
    {
        int perEpoch = task.Batches(0).Count;
        Optimizer optimizer = o.Optimizer == "sgd" ? new Sgd(model.Parameters(), o.Lr, weightDecay: o.WeightDecay)
            : new Adam(model.Parameters(), o.Lr, weightDecay: o.WeightDecay, decoupled: true);
        long totalSteps = t.MaxEpochs > 0 ? (long)t.MaxEpochs * perEpoch : 0;
        if (o.Schedule == "cosine" && totalSteps == 0) throw new DataFormatException("config", 0, "optim.schedule: cosine decay needs train.max_epochs");
        LearningRateSchedule schedule = o.Schedule == "cosine" ? new CosineSchedule(o.Lr, o.Warmup, totalSteps) : new ConstantSchedule(o.Lr);
        var options = new TrainerOptions
        {
            Seed = seed, MaxEpochs = t.MaxEpochs, MaxMinutes = t.MaxMinutes, ClipNorm = o.ClipNorm,
            ValidEvery = t.ValidEvery > 0 ? t.ValidEvery : perEpoch, Patience = t.Patience, AverageLast = t.AverageLast, EmaDecay = t.EmaDecay, LogEvery = t.LogEvery,
        };
        if (options.Problem() is { } problem) throw new DataFormatException("config", 0, "train: " + problem);
        log($"{perEpoch:N0} batches per epoch (≤ {o.MaxTokens:N0} padded positions each)");
        return new Trainer(task, optimizer, schedule, options);
    }
}
