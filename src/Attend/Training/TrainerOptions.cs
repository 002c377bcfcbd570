// Knobs of the training loop (fairseq/OpenNMT names in comments). Every limit is optional except one of
// max steps / epochs / minutes, so a run always ends.
namespace Attend.Training;

/// <summary>How long and how to train.</summary>
public sealed record TrainerOptions
{
    /// <summary>Seeds dropout masks and the data order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Optimizer updates to take (0 = no limit).</summary>
    public long MaxSteps { get; init; }

    /// <summary>Passes over the training data (0 = no limit).</summary>
    public int MaxEpochs { get; init; }

    /// <summary>Wall-clock budget in minutes across resumes, validation included (0 = no limit).</summary>
    public double MaxMinutes { get; init; }

    /// <summary>Batches whose gradients are summed into one update (fairseq --update-freq).</summary>
    public int Accumulation { get; init; } = 1;

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public float ClipNorm { get; init; } = 1f;

    /// <summary>Validate (and checkpoint) every this many updates, and at the end.</summary>
    public int ValidEvery { get; init; } = 500;

    /// <summary>Write the resumable checkpoint every this many updates (0 = at each validation).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Stop after this many validations without a better score (0 = never).</summary>
    public int Patience { get; init; }

    /// <summary>Stop once a validation score reaches this value (null = never), e.g. an exact-match accuracy of 1.</summary>
    public double? StopAtScore { get; init; }

    /// <summary>Average the weights of the last N validation checkpoints at the end (0 or 1 = off); kept if it scores better.</summary>
    public int AverageLast { get; init; }

    /// <summary>Keep an exponential moving average of the weights with this decay and validate, export and snapshot it (0 = off).</summary>
    public double EmaDecay { get; init; }

    /// <summary>Report progress every this many updates.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>The problem with these options, or null.</summary>
    public string? Problem() =>
        MaxSteps <= 0 && MaxEpochs <= 0 && MaxMinutes <= 0 ? "set at least one of max_steps, max_epochs or max_minutes so training ends"
        : MaxSteps < 0 || MaxEpochs < 0 || MaxMinutes < 0 ? "max_steps, max_epochs and max_minutes must not be negative"
        : Accumulation < 1 ? $"accumulation must be at least 1, got {Accumulation}"
        : ClipNorm < 0 ? $"clip_norm must not be negative, got {ClipNorm}"
        : ValidEvery < 1 ? $"valid_every must be at least 1, got {ValidEvery}"
        : CheckpointEvery < 0 ? $"checkpoint_every must not be negative, got {CheckpointEvery}"
        : Patience < 0 ? $"patience must not be negative, got {Patience}"
        : AverageLast < 0 ? $"average_last must not be negative, got {AverageLast}"
        : EmaDecay is < 0 or >= 1 || double.IsNaN(EmaDecay) ? $"ema_decay must lie in [0, 1) (0 = off), got {EmaDecay}"
        : LogEvery < 1 ? $"log_every must be at least 1, got {LogEvery}"
        : null;
}
