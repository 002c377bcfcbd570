// The run config of `attend train translation` (configs/multi30k-de-en.json is the reference example). Paths are
// relative to the working directory. Every section validates itself; unknown keys are rejected when the file is read.
using Attend.Text.Tokenization;

namespace Attend.Tasks.Translation;

/// <summary>A translation training run.</summary>
public sealed record TranslationConfig
{
    public string Task { get; init; } = "translation";
    public int Seed { get; init; } = 1;
    public TranslationDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new();
    public TranslationModelConfig Model { get; init; } = new();
    public OptimConfig Optim { get; init; } = new();
    public TrainConfig Train { get; init; } = new();
    public EvalConfig Eval { get; init; } = new();

    /// <summary>The first problem found, naming its key, or null.</summary>
    public string? Problem() =>
        Task != "translation" ? $"task: expected \"translation\", got \"{Task}\""
        : Data.Problem() ?? Tokenizer.Problem() ?? Model.Problem() ?? Optim.Problem() ?? Train.Problem() ?? Eval.Problem()
        ?? (Model.Architecture == "transformer" && Eval.MaxLength > Model.MaxPositions
            ? $"eval.max_length ({Eval.MaxLength}) exceeds model.max_positions ({Model.MaxPositions}): the decoder cannot produce more tokens than it has positions"
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

/// <summary>Tokenizer: trained on the training data (joint over both languages), or loaded from <see cref="Path"/>.</summary>
public sealed record TokenizerConfig
{
    /// <summary>"bpe", "bytebpe", "word" or "char".</summary>
    public string Type { get; init; } = "bpe";
    public int VocabSize { get; init; } = 8000;
    /// <summary>An existing tokenizer.json to use instead of training one.</summary>
    public string? Path { get; init; }

    public string? Problem() =>
        !Tokenizers.Types.Contains(Type) ? $"tokenizer.type: expected one of {string.Join(", ", Tokenizers.Types)}, got \"{Type}\""
        : VocabSize < Tokenizers.MinimumVocabulary(Type) ? $"tokenizer.vocab_size: a {Type} tokenizer needs at least {Tokenizers.MinimumVocabulary(Type)}, got {VocabSize}"
        : null;
}

/// <summary>
/// The model: "transformer" (Vaswani et al. 2017, post-norm as in the paper or pre-norm; keys d_model … max_positions)
/// or "rnn" (a bidirectional GRU/LSTM encoder and an attentional decoder, Bahdanau or Luong; keys cell … attention_dim).
/// </summary>
public sealed record TranslationModelConfig
{
    public string Architecture { get; init; } = "transformer";
    public int DModel { get; init; } = 256;
    public int Nhead { get; init; } = 4;
    public int NumEncoderLayers { get; init; } = 3;
    public int NumDecoderLayers { get; init; } = 3;
    public int DimFeedforward { get; init; } = 1024;
    public float Dropout { get; init; } = 0.1f;
    public string Activation { get; init; } = "relu";
    public bool NormFirst { get; init; }
    public bool TieEmbeddings { get; init; } = true;
    public int MaxPositions { get; init; } = 256;
    /// <summary>RNN: "gru" or "lstm".</summary>
    public string Cell { get; init; } = "gru";
    public int EmbeddingDim { get; init; } = 256;
    /// <summary>RNN: hidden size of each encoder direction.</summary>
    public int EncoderHidden { get; init; } = 256;
    public int EncoderLayers { get; init; } = 1;
    public int DecoderHidden { get; init; } = 512;
    /// <summary>RNN: "bahdanau" (additive), "dot" or "general" (Luong).</summary>
    public string Attention { get; init; } = "bahdanau";
    public int AttentionDim { get; init; } = 256;

    public string? Problem() =>
        Architecture is not ("transformer" or "rnn") ? $"model.architecture: expected \"transformer\" or \"rnn\", got \"{Architecture}\""
        : null;
}

/// <summary>Optimisation.</summary>
public sealed record OptimConfig
{
    /// <summary>"adam" or "adamw".</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Peak learning rate.</summary>
    public float Lr { get; init; } = 5e-4f;
    public float[] Betas { get; init; } = [0.9f, 0.98f];
    public float Eps { get; init; } = 1e-9f;
    public float WeightDecay { get; init; }
    /// <summary>"inverse_sqrt", "noam", "cosine" or "constant".</summary>
    public string Schedule { get; init; } = "inverse_sqrt";
    public int Warmup { get; init; } = 4000;
    /// <summary>Steps of the cosine decay (cosine only).</summary>
    public long DecaySteps { get; init; }
    public float LabelSmoothing { get; init; } = 0.1f;
    /// <summary>Padded source + target tokens per batch.</summary>
    public int MaxTokens { get; init; } = 4096;
    public int Accumulation { get; init; } = 1;
    public float ClipNorm { get; init; } = 1f;

    public string? Problem() =>
        Optimizer is not ("adam" or "adamw") ? $"optim.optimizer: expected adam or adamw, got \"{Optimizer}\""
        : Lr <= 0 ? $"optim.lr: expected a positive rate, got {Lr}"
        : Betas.Length != 2 || Betas.Any(b => b is < 0 or >= 1) ? "optim.betas: expected two numbers in [0, 1)"
        : Schedule is not ("inverse_sqrt" or "noam" or "cosine" or "constant") ? $"optim.schedule: expected inverse_sqrt, noam, cosine or constant, got \"{Schedule}\""
        : Schedule == "cosine" && DecaySteps <= 0 ? "optim.decay_steps: the cosine schedule needs the number of steps to decay over"
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : LabelSmoothing is < 0 or >= 1 ? $"optim.label_smoothing: expected [0, 1), got {LabelSmoothing}"
        : MaxTokens < 16 ? $"optim.max_tokens: expected at least 16, got {MaxTokens}"
        : null;
}

/// <summary>Loop limits, validation and checkpoints (see Training.TrainerOptions).</summary>
public sealed record TrainConfig
{
    public long MaxSteps { get; init; }
    public int MaxEpochs { get; init; }
    public double MaxMinutes { get; init; } = 60;
    public int ValidEvery { get; init; } = 1000;
    public int CheckpointEvery { get; init; }
    public int Patience { get; init; }
    public int AverageLast { get; init; } = 5;
    /// <summary>Validate and export an exponential moving average of the weights with this decay per update (0 = off).</summary>
    public double EmaDecay { get; init; }
    /// <summary>Validation pairs translated for BLEU (0 = all).</summary>
    public int ValidSentences { get; init; }
    public bool ValidLowercase { get; init; } = true;
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }

    public string? Problem() => Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}" : null;
}

/// <summary>The final test evaluation.</summary>
public sealed record EvalConfig
{
    public int Beam { get; init; } = 5;
    public float Alpha { get; init; } = 0.6f;
    public int MaxLength { get; init; } = 128;

    public string? Problem() => Beam < 1 ? $"eval.beam: expected at least 1, got {Beam}" : MaxLength < 1 ? $"eval.max_length: expected at least 1, got {MaxLength}" : null;
}
