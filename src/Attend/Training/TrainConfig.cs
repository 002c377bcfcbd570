// The "train" section every run config shares: when the loop stops, how often it validates and checkpoints, what it
// keeps (patience, checkpoint averaging, EMA), progress and threads. TrainerSetup turns it into TrainerOptions. A task
// adds its own validation keys in a derived record; each task's config sets its own defaults.
namespace Attend.Training;

/// <summary>Loop limits, validation and checkpoints.</summary>
public record TrainConfig
{
    /// <summary>Optimizer updates (0 = no limit).</summary>
    public long MaxSteps { get; init; }

    /// <summary>Passes over the training data (0 = no limit).</summary>
    public int MaxEpochs { get; init; }

    /// <summary>Wall-clock minutes across resumes (0 = no limit).</summary>
    public double MaxMinutes { get; init; }

    /// <summary>Validate every this many updates (0 = once per epoch).</summary>
    public int ValidEvery { get; init; }

    /// <summary>Write the resumable checkpoint every this many updates (0 = at each validation).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Stop after this many validations without a better score (0 = never).</summary>
    public int Patience { get; init; }

    /// <summary>Average the weights of the last N validations at the end, kept if it validates better (0 = off).</summary>
    public int AverageLast { get; init; }

    /// <summary>Validate and export an exponential moving average of the weights with this decay per update (0 = off; e.g. 0.99).</summary>
    public double EmaDecay { get; init; }

    /// <summary>Stop once a validation score reaches this value (null = never), e.g. an exact-match accuracy of 1.</summary>
    public double? StopAtScore { get; init; }

    public int LogEvery { get; init; } = 10;

    /// <summary>Worker threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>The first problem found, naming its key, or null.</summary>
    public virtual string? Problem() =>
        MaxSteps < 0 || MaxEpochs < 0 || MaxMinutes < 0 || double.IsNaN(MaxMinutes) ? "train.max_steps, max_epochs and max_minutes must not be negative"
        : MaxSteps == 0 && MaxEpochs == 0 && MaxMinutes == 0 ? "train: set max_steps, max_epochs or max_minutes so training ends"
        : ValidEvery < 0 ? $"train.valid_every: expected 0 (each epoch) or more, got {ValidEvery}"
        : CheckpointEvery < 0 ? $"train.checkpoint_every: expected 0 (at each validation) or more, got {CheckpointEvery}"
        : Patience < 0 ? $"train.patience: expected 0 (never) or more, got {Patience}"
        : AverageLast < 0 ? $"train.average_last: expected 0 (off) or more, got {AverageLast}"
        : EmaDecay is < 0 or >= 1 || double.IsNaN(EmaDecay) ? $"train.ema_decay: expected [0, 1) (0 = off), got {EmaDecay}"
        : LogEvery < 1 ? $"train.log_every: expected at least 1, got {LogEvery}"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : null;
}
