// The run config of `attend train lm` (configs/shakespeare-char.json and configs/nanogpt-cpu.json are the reference
// examples): one text file split by characters into training and validation parts (nanoGPT: first 90% train), a
// tokenizer trained on the training part, a decoder-only Transformer and nanoGPT's optimisation (AdamW, decay on
// matrices only, warm-up then cosine decay to min_lr). Unknown keys are rejected when the file is read.
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.LanguageModeling;

/// <summary>A language-model training run.</summary>
public sealed record LmConfig : IRunConfig
{
    public string Task { get; init; } = "lm";
    public int Seed { get; init; } = 1337;
    public LmDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new() { Type = "char", VocabSize = 1024 };
    public LmModelConfig Model { get; init; } = new();
    public LmOptimConfig Optim { get; init; } = new() { Lr = 1e-3f, MinLr = 1e-4f, Betas = [0.9f, 0.99f], WeightDecay = 0.1f, Warmup = 100 };
    public LmTrainConfig Train { get; init; } = new() { MaxSteps = 5000, ValidEvery = 250 };
    public LmSampleConfig Sample { get; init; } = new();
    TrainConfig IRunConfig.Train => Train;

    /// <summary>The first problem found, naming its key, or null.</summary>
    public string? Problem() =>
        Task != "lm" ? $"task: expected \"lm\", got \"{Task}\""
        : Data.Problem() ?? Tokenizer.Problem() ?? Model.Problem() ?? Optim.Problem() ?? Train.Problem() ?? Sample.Problem();
}

/// <summary>The text: one file, the first (1 − valid_fraction) of its characters for training.</summary>
public sealed record LmDataConfig
{
    public string? Text { get; init; }
    public double ValidFraction { get; init; } = 0.1;

    public string? Problem() =>
        Text is null ? "data.text: give the path of the text file to model"
        : ValidFraction is <= 0 or >= 1 ? $"data.valid_fraction: expected a fraction in (0, 1), got {ValidFraction}"
        : null;
}

/// <summary>The decoder-only Transformer (see Models.DecoderLmConfig).</summary>
public sealed record LmModelConfig
{
    public int Context { get; init; } = 256;
    public int DModel { get; init; } = 384;
    public int Nhead { get; init; } = 6;
    public int NumLayers { get; init; } = 6;
    /// <summary>0 = 4 · d_model.</summary>
    public int DimFeedforward { get; init; }
    public float Dropout { get; init; } = 0.2f;
    public Nn.PositionKind Positions { get; init; } = Nn.PositionKind.Learned;

    public string? Problem() =>
        Context < 2 ? $"model.context: expected at least 2, got {Context}"
        : DModel <= 0 || Nhead <= 0 || DModel % Nhead != 0 ? $"model.d_model ({DModel}) must be a positive multiple of model.nhead ({Nhead})"
        : NumLayers < 1 ? $"model.num_layers: expected at least 1, got {NumLayers}"
        : DimFeedforward < 0 ? $"model.dim_feedforward: expected 0 (4 · d_model) or more, got {DimFeedforward}"
        : Dropout is < 0 or >= 1 ? $"model.dropout: expected [0, 1), got {Dropout}"
        : null;
}

/// <summary>The "optim" section: the shared optimiser keys (AdamW, decay on matrices and embeddings only, as nanoGPT) and the batch size.</summary>
public sealed record LmOptimConfig : OptimConfig
{
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <inheritdoc/>
    public override string? Problem() => base.Problem() ?? (BatchSize < 1 ? $"optim.batch_size: expected at least 1, got {BatchSize}" : null);
}

/// <summary>The "train" section: the shared loop keys and how many random windows validation averages.</summary>
public sealed record LmTrainConfig : TrainConfig
{
    /// <summary>Batches of random validation windows averaged at each validation (nanoGPT eval_iters).</summary>
    public int ValidBatches { get; init; } = 20;

    /// <summary>Batches averaged for the final validation loss of the best model.</summary>
    public int FinalValidBatches { get; init; } = 200;

    /// <inheritdoc/>
    public override string? Problem() =>
        base.Problem() ?? (ValidBatches < 1 || FinalValidBatches < 1 ? "train.valid_batches and train.final_valid_batches must be at least 1" : null);
}

/// <summary>The sample written after training (sample.txt).</summary>
public sealed record LmSampleConfig
{
    public string Prompt { get; init; } = "\n";
    public int MaxTokens { get; init; } = 500;
    public float Temperature { get; init; } = 0.8f;
    public int TopK { get; init; } = 200;
    public float TopP { get; init; } = 1f;

    public string? Problem() =>
        Prompt.Length == 0 ? "sample.prompt: expected at least one character"
        : MaxTokens < 0 ? $"sample.max_tokens: expected a non-negative count, got {MaxTokens}"
        : new Decoding.SamplingOptions(Temperature, TopK, TopP).Problem() is { } p ? "sample: " + p
        : null;
}
