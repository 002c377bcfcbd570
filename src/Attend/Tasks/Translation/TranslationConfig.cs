// The run config of `attend train translation` (configs/multi30k-de-en.json is the reference example). Paths are
// relative to the working directory. Every section validates itself; unknown keys are rejected when the file is read.
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Translation;

/// <summary>A translation training run.</summary>
public sealed record TranslationConfig : IRunConfig
{
    public string Task { get; init; } = "translation";
    public int Seed { get; init; } = 1;
    public TranslationDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new();
    public TranslationModelConfig Model { get; init; } = new();
    public TokenBudgetOptimConfig Optim { get; init; } = new()
    {
        Optimizer = OptimizerKind.Adam, Lr = 5e-4f, Betas = [0.9f, 0.98f], Eps = 1e-9f, Schedule = ScheduleKind.InverseSqrt, Warmup = 4000, MaxTokens = 4096, LabelSmoothing = 0.1f,
    };
    public TranslationTrainConfig Train { get; init; } = new() { MaxMinutes = 60, ValidEvery = 1000, AverageLast = 5 };
    public EvalConfig Eval { get; init; } = new();
    TrainConfig IRunConfig.Train => Train;

    /// <summary>The first problem found, naming its key, or null.</summary>
    public string? Problem() =>
        Task != "translation" ? $"task: expected \"translation\", got \"{Task}\""
        : Data.Problem() ?? Tokenizer.Problem() ?? Model.Problem() ?? Optim.Problem() ?? Train.Problem() ?? Eval.Problem()
        ?? (Eval.MaxLength > Model.MaxTargetLength
            ? $"eval.max_length ({Eval.MaxLength}) exceeds model.max_positions ({Model.MaxTargetLength}): the decoder cannot produce more tokens than it has positions"
            : null);
}

/// <summary>Corpora: aligned source/target files (plain or .gz), or one tab-separated file with a held-out split.</summary>
public sealed record TranslationDataConfig
{
    public string? TrainSource { get; init; }
    public string? TrainTarget { get; init; }
    public string? ValidSource { get; init; }
    public string? ValidTarget { get; init; }
    public string? TestSource { get; init; }
    public string? TestTarget { get; init; }
    /// <summary>A TSV of pairs (e.g. spa-eng's spa.txt) used instead of the aligned files; split by <see cref="ValidPairs"/>/<see cref="TestPairs"/>.</summary>
    public string? Tsv { get; init; }
    /// <summary>TSV column of the source (the other of columns 0 and 1 is the target).</summary>
    public int TsvSourceColumn { get; init; }
    public int ValidPairs { get; init; } = 1000;
    public int TestPairs { get; init; } = 2000;
    /// <summary>Training pairs with more tokens than this on either side are skipped.</summary>
    public int MaxLength { get; init; } = 100;

    public string? Problem() =>
        Tsv is null && (TrainSource is null || TrainTarget is null || ValidSource is null || ValidTarget is null)
            ? "data: give train_source, train_target, valid_source and valid_target (and optionally test_source, test_target), or tsv"
        : Tsv is not null && TsvSourceColumn is not (0 or 1) ? $"data.tsv_source_column: expected 0 or 1, got {TsvSourceColumn}"
        : (TestSource is null) != (TestTarget is null) ? "data: give both test_source and test_target, or neither"
        : MaxLength < 2 ? $"data.max_length: expected at least 2, got {MaxLength}"
        : ValidPairs < 1 || TestPairs < 0 ? "data.valid_pairs must be positive and data.test_pairs not negative"
        : null;
}

/// <summary>The "train" section: the shared loop keys and how validation translates.</summary>
public sealed record TranslationTrainConfig : TrainConfig
{
    /// <summary>Validation pairs translated for BLEU (0 = all).</summary>
    public int ValidSentences { get; init; }
    public bool ValidLowercase { get; init; } = true;

    /// <inheritdoc/>
    public override string? Problem() => base.Problem() ?? (ValidSentences < 0 ? $"train.valid_sentences: expected 0 (all) or more, got {ValidSentences}" : null);
}

/// <summary>The final test evaluation.</summary>
public sealed record EvalConfig
{
    public int Beam { get; init; } = 5;
    public float Alpha { get; init; } = 0.6f;
    public int MaxLength { get; init; } = 128;

    public string? Problem() => Beam < 1 ? $"eval.beam: expected at least 1, got {Beam}" : MaxLength < 1 ? $"eval.max_length: expected at least 1, got {MaxLength}" : null;
}
