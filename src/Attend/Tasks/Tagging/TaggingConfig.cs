// The run config of `attend train tagging` (configs/ud-ewt-upos.json is the reference example): CoNLL-U files (the
// training file, with a seeded hold-out for model selection unless a validation file is given, and a test file, e.g.
// English-EWT's dev set), the tag column, the word vocabulary, the Tagger (its labels and vocabularies come from the
// data), Adam and the loop limits. Unknown keys are rejected when the file is read.
using Attend.Models;

namespace Attend.Tasks.Tagging;

/// <summary>A tagging run.</summary>
public sealed record TaggingConfig
{
    public string Task { get; init; } = "tagging";
    public int Seed { get; init; } = 1;
    public TaggingDataConfig Data { get; init; } = new();
    /// <summary>The tagger; labels, vocab_size and char_vocab_size are filled from the data (char_vocab_size: any positive number turns character features on).</summary>
    public TaggerConfig Model { get; init; } = new();
    public TaggingOptimConfig Optim { get; init; } = new();
    public TaggingTrainConfig Train { get; init; } = new();

    public string? Problem() =>
        Task != "tagging" ? $"task: expected \"tagging\", got \"{Task}\""
        : Data.Problem() ?? Optim.Problem() ?? Train.Problem();
}

/// <summary>The treebank files and what to predict.</summary>
public sealed record TaggingDataConfig
{
    public string? Train { get; init; }
    /// <summary>Model-selection file; without it, valid_fraction of the training sentences are held out.</summary>
    public string? Valid { get; init; }
    /// <summary>Scored once with the best model at the end (e.g. en_ewt-ud-dev.conllu).</summary>
    public string? Test { get; init; }
    public double ValidFraction { get; init; } = 0.05;
    /// <summary>"upos" or "xpos".</summary>
    public string Column { get; init; } = "upos";
    /// <summary>Most distinct (lowercased) word forms kept; rarer forms are &lt;unk&gt; and rely on their characters.</summary>
    public int VocabSize { get; init; } = 30000;
    /// <summary>Forms seen fewer times in training are &lt;unk&gt; there too, so the unknown-word vector learns from rare words.</summary>
    public int MinCount { get; init; } = 2;

    public string? Problem() =>
        Train is null ? "data.train: give the path of a CoNLL-U training file"
        : Valid is null && ValidFraction is <= 0 or >= 1 ? $"data.valid_fraction: expected a fraction in (0, 1), got {ValidFraction}"
        : Column is not ("upos" or "xpos") ? $"data.column: expected upos or xpos, got \"{Column}\""
        : VocabSize < 5 ? $"data.vocab_size: expected at least 5, got {VocabSize}"
        : MinCount < 1 ? $"data.min_count: expected at least 1, got {MinCount}"
        : null;
}

/// <summary>Adam and the schedule.</summary>
public sealed record TaggingOptimConfig
{
    public float Lr { get; init; } = 2e-3f;
    public float WeightDecay { get; init; }
    /// <summary>"cosine" (to zero over train.max_epochs) or "constant", after a linear warm-up.</summary>
    public string Schedule { get; init; } = "cosine";
    public int Warmup { get; init; } = 100;
    /// <summary>Padded words per batch.</summary>
    public int MaxTokens { get; init; } = 2000;
    public float ClipNorm { get; init; } = 5f;

    public string? Problem() =>
        Lr <= 0 ? $"optim.lr: expected a positive rate, got {Lr}"
        : WeightDecay < 0 ? $"optim.weight_decay: expected a non-negative number, got {WeightDecay}"
        : Schedule is not ("cosine" or "constant") ? $"optim.schedule: expected cosine or constant, got \"{Schedule}\""
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : MaxTokens < 1 ? $"optim.max_tokens: expected at least 1, got {MaxTokens}"
        : ClipNorm < 0 ? $"optim.clip_norm: expected a non-negative norm, got {ClipNorm}"
        : null;
}

/// <summary>Loop limits and validation.</summary>
public sealed record TaggingTrainConfig
{
    public int MaxEpochs { get; init; } = 10;
    public double MaxMinutes { get; init; } = 30;
    /// <summary>Validate every this many updates (0 = once per epoch).</summary>
    public int ValidEvery { get; init; }
    public int Patience { get; init; }
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }

    public string? Problem() =>
        MaxEpochs < 0 || MaxMinutes < 0 ? "train.max_epochs and train.max_minutes must not be negative"
        : MaxEpochs == 0 && MaxMinutes == 0 ? "train: set max_epochs or max_minutes so training ends"
        : ValidEvery < 0 ? $"train.valid_every: expected 0 (each epoch) or more, got {ValidEvery}"
        : Patience < 0 ? $"train.patience: expected 0 (never) or more, got {Patience}"
        : LogEvery < 1 ? $"train.log_every: expected at least 1, got {LogEvery}"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : null;
}
