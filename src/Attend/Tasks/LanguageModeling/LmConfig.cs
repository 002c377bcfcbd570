// The run config of `attend train lm` (configs/shakespeare-char.json and configs/nanogpt-cpu.json are the reference
// examples): one text file split by characters into training and validation parts (nanoGPT: first 90% train), a
// tokenizer trained on the training part, a decoder-only Transformer and nanoGPT's optimisation (AdamW, decay on
// matrices only, warm-up then cosine decay to min_lr). Unknown keys are rejected when the file is read.
using Attend.Tasks.Translation;

namespace Attend.Tasks.LanguageModeling;

/// <summary>A language-model training run.</summary>
public sealed record LmConfig
{
    public string Task { get; init; } = "lm";
    public int Seed { get; init; } = 1337;
    public LmDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new() { Type = "char", VocabSize = 1024 };
    public LmModelConfig Model { get; init; } = new();
    public LmOptimConfig Optim { get; init; } = new();
    public LmTrainConfig Train { get; init; } = new();
    public LmSampleConfig Sample { get; init; } = new();

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
    public string Positions { get; init; } = "learned";

    public string? Problem() =>
        Context < 2 ? $"model.context: expected at least 2, got {Context}"
        : DModel <= 0 || Nhead <= 0 || DModel % Nhead != 0 ? $"model.d_model ({DModel}) must be a positive multiple of model.nhead ({Nhead})"
        : NumLayers < 1 ? $"model.num_layers: expected at least 1, got {NumLayers}"
        : DimFeedforward < 0 ? $"model.dim_feedforward: expected 0 (4 · d_model) or more, got {DimFeedforward}"
        : Dropout is < 0 or >= 1 ? $"model.dropout: expected [0, 1), got {Dropout}"
        : Positions is not ("learned" or "sinusoidal") ? $"model.positions: expected \"learned\" or \"sinusoidal\", got \"{Positions}\""
        : null;
}

/// <summary>nanoGPT's optimisation.</summary>
public sealed record LmOptimConfig
{
    public float Lr { get; init; } = 1e-3f;
    /// <summary>Floor of the cosine decay.</summary>
    public float MinLr { get; init; } = 1e-4f;
    public float[] Betas { get; init; } = [0.9f, 0.99f];
    public float Eps { get; init; } = 1e-8f;
    /// <summary>Decoupled (AdamW) decay, applied to matrices and embeddings only.</summary>
    public float WeightDecay { get; init; } = 0.1f;
    /// <summary>"cosine" or "constant".</summary>
    public string Schedule { get; init; } = "cosine";
    public int Warmup { get; init; } = 100;
    /// <summary>Steps of the cosine decay (0 = train.max_steps).</summary>
    public long DecaySteps { get; init; }
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 64;
    public int Accumulation { get; init; } = 1;
    public float ClipNorm { get; init; } = 1f;

    public string? Problem() =>
        Lr <= 0 ? $"optim.lr: expected a positive rate, got {Lr}"
        : MinLr < 0 || MinLr > Lr ? $"optim.min_lr: expected [0, lr], got {MinLr}"
        : Betas.Length != 2 || Betas.Any(b => b is < 0 or >= 1) ? "optim.betas: expected two numbers in [0, 1)"
        : WeightDecay < 0 ? $"optim.weight_decay: expected a non-negative number, got {WeightDecay}"
        : Schedule is not ("cosine" or "constant") ? $"optim.schedule: expected cosine or constant, got \"{Schedule}\""
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : BatchSize < 1 ? $"optim.batch_size: expected at least 1, got {BatchSize}"
        : Accumulation < 1 ? $"optim.accumulation: expected at least 1, got {Accumulation}"
        : null;
}

/// <summary>Loop limits and validation.</summary>
public sealed record LmTrainConfig
{
    public long MaxSteps { get; init; } = 5000;
    public double MaxMinutes { get; init; }
    public int ValidEvery { get; init; } = 250;
    /// <summary>Batches of random validation windows averaged at each validation (nanoGPT eval_iters).</summary>
    public int ValidBatches { get; init; } = 20;
    /// <summary>Batches averaged for the final validation loss of the best model.</summary>
    public int FinalValidBatches { get; init; } = 200;
    public int CheckpointEvery { get; init; }
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }

    public string? Problem() =>
        MaxSteps < 0 || MaxMinutes < 0 ? "train.max_steps and train.max_minutes must not be negative"
        : MaxSteps == 0 && MaxMinutes == 0 ? "train: set max_steps or max_minutes so training ends"
        : ValidBatches < 1 || FinalValidBatches < 1 ? "train.valid_batches and train.final_valid_batches must be at least 1"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : null;
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
