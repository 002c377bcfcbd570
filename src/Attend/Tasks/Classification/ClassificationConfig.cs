// The run config of `attend train classification` (configs/imdb.json is the reference example): labelled texts (the
// aclImdb archive, or tab-separated label<TAB>text files), a word tokenizer trained on the training part, a
// TextClassifier (its labels and vocabulary come from the data), Adam and the loop limits. Unknown keys are rejected
// when the file is read.
using Attend.Models;
using Attend.Tasks.Translation;

namespace Attend.Tasks.Classification;

/// <summary>A text-classification run.</summary>
public sealed record ClassificationConfig
{
    public string Task { get; init; } = "classification";
    public int Seed { get; init; } = 1;
    public ClassificationDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new() { Type = "word", VocabSize = 20000 };
    /// <summary>The classifier; labels and vocab_size are filled from the data (leave them out).</summary>
    public TextClassifierConfig Model { get; init; } = new();
    public ClassificationOptimConfig Optim { get; init; } = new();
    public ClassificationTrainConfig Train { get; init; } = new();

    /// <summary>The first problem found, naming its key, or null (the model is checked once the data is read).</summary>
    public string? Problem() =>
        Task != "classification" ? $"task: expected \"classification\", got \"{Task}\""
        : Data.Problem() ?? Tokenizer.Problem() ?? Optim.Problem() ?? Train.Problem()
        ?? ((Model.Encoder is null) == (Model.Bow is null) ? "model: give either model.encoder or model.bow" : null);
}

/// <summary>Where the labelled texts come from and how they are cut.</summary>
public sealed record ClassificationDataConfig
{
    /// <summary>The aclImdb folder or aclImdb_*.tar.gz: train → train + validation, test → test.</summary>
    public string? Imdb { get; init; }
    /// <summary>Tab-separated files, one "label&lt;TAB&gt;text" per line (instead of imdb).</summary>
    public string? Train { get; init; }
    public string? Valid { get; init; }
    public string? Test { get; init; }
    /// <summary>Share of the training texts held out for validation when no valid file is given.</summary>
    public double ValidFraction { get; init; } = 0.1;
    public TextCut Text { get; init; } = new();

    public string? Problem() =>
        (Imdb is null) == (Train is null) ? "data: give either data.imdb or data.train (a label<TAB>text file)"
        : Imdb is not null && (Valid is not null || Test is not null) ? "data: data.valid and data.test go with data.train, not with data.imdb"
        : Valid is null && ValidFraction is <= 0 or >= 1 ? $"data.valid_fraction: expected a fraction in (0, 1), got {ValidFraction}"
        : Text.Problem() is { } p ? "data.text." + p
        : null;
}

/// <summary>Adam (or AdamW) and the schedule.</summary>
public sealed record ClassificationOptimConfig
{
    /// <summary>"adam" (decoupled weight decay, i.e. AdamW) or "sgd" (plain, as fastText trains its sparse bag of n-grams).</summary>
    public string Optimizer { get; init; } = "adam";
    public float Lr { get; init; } = 1e-3f;
    public float WeightDecay { get; init; }
    /// <summary>"cosine" (to zero over train.max_epochs) or "constant", after a linear warm-up.</summary>
    public string Schedule { get; init; } = "cosine";
    public int Warmup { get; init; } = 100;
    /// <summary>Padded tokens per batch (texts of similar length are batched together).</summary>
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
public sealed record ClassificationTrainConfig
{
    public int MaxEpochs { get; init; } = 5;
    public double MaxMinutes { get; init; } = 30;
    /// <summary>Validate every this many updates (0 = once per epoch).</summary>
    public int ValidEvery { get; init; }
    /// <summary>Stop after this many validations without a better accuracy (0 = never).</summary>
    public int Patience { get; init; }
    /// <summary>Average the weights of the last N validations at the end, kept if it validates better (0 = off).</summary>
    public int AverageLast { get; init; }
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }

    public string? Problem() =>
        MaxEpochs < 0 || MaxMinutes < 0 ? "train.max_epochs and train.max_minutes must not be negative"
        : MaxEpochs == 0 && MaxMinutes == 0 ? "train: set max_epochs or max_minutes so training ends"
        : ValidEvery < 0 ? $"train.valid_every: expected 0 (each epoch) or more, got {ValidEvery}"
        : Patience < 0 ? $"train.patience: expected 0 (never) or more, got {Patience}"
        : AverageLast < 0 ? $"train.average_last: expected 0 (off) or more, got {AverageLast}"
        : LogEvery < 1 ? $"train.log_every: expected at least 1, got {LogEvery}"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : null;
}
