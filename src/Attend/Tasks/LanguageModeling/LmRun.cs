// Builds a language-model training run from its config: reads the text, splits it by characters (first part train,
// rest validation, as nanoGPT's prepare.py), trains (or reloads on resume) the tokenizer on the training part, builds
// the DecoderLm, the task, AdamW with nanoGPT's parameter groups and the schedule. After training, Evaluate reloads the
// best model, measures its validation loss over more windows and writes a sample and results.json.
using System.Text.Json;
using Attend.Decoding;
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.LanguageModeling;

/// <summary>Scores of a finished run.</summary>
public sealed record LmResults(double ValidLoss, double BitsPerToken, int ValidWindows, long Steps, double TrainSeconds, double MsPerStep, string Sample);

/// <summary>A prepared language-model run.</summary>
public sealed class LmRun
{
    private LmRun(LmConfig config, string runDir, ITokenizer tokenizer, DecoderLm model, int[] train, int[] valid, LanguageModelTask task, Trainer trainer)
    {
        Config = config;
        RunDir = runDir;
        Tokenizer = tokenizer;
        Model = model;
        TrainIds = train;
        ValidIds = valid;
        Task = task;
        Trainer = trainer;
    }

    public LmConfig Config { get; }
    public string RunDir { get; }
    public ITokenizer Tokenizer { get; }
    public DecoderLm Model { get; }
    public int[] TrainIds { get; }
    public int[] ValidIds { get; }
    public LanguageModelTask Task { get; }
    public Trainer Trainer { get; }

    /// <summary>Reads the text and builds everything; with <paramref name="resume"/> the run directory's tokenizer is reused.</summary>
    public static LmRun Prepare(LmConfig config, string runDir, bool resume, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var (trainText, validText) = TextSplit.Read(config.Data.Text!, config.Data.ValidFraction);
        log($"{trainText.Length:N0} training and {validText.Length:N0} validation characters from {config.Data.Text}");

        string tokPath = Path.Combine(runDir, "tokenizer.json");
        ITokenizer tokenizer = resume && File.Exists(tokPath) ? TokenizerFile.Load(tokPath)
            : config.Tokenizer.Path is { } given ? TokenizerFile.Load(given)
            : Tokenizers.Train(config.Tokenizer.Type, [trainText], config.Tokenizer.VocabSize, Standardize.None);
        TokenizerFile.Save(tokenizer, tokPath);
        var train = tokenizer.Encode(trainText);
        var valid = tokenizer.Encode(validText);
        log($"{tokenizer.Type} tokenizer with {tokenizer.Vocabulary.Count:N0} tokens: {train.Length:N0} training and {valid.Length:N0} validation tokens");

        var m = config.Model;
        var modelConfig = new DecoderLmConfig
        {
            VocabSize = tokenizer.Vocabulary.Count, Context = m.Context, DModel = m.DModel, NumHeads = m.Nhead, NumLayers = m.NumLayers,
            DimFeedforward = m.DimFeedforward, Dropout = m.Dropout, Positions = m.Positions,
        };
        if (modelConfig.Problem() is { } modelProblem) throw new DataFormatException("config", 0, "model: " + modelProblem);
        var model = TrainingBudget.Build(() => new DecoderLm(modelConfig, new Rng((ulong)config.Seed)));
        log($"decoder-only Transformer of {model.ParameterCount():N0} parameters");
        var o = config.Optim;
        var t = config.Train;
        var task = new LanguageModelTask(model, tokenizer, train, valid, o.BatchSize, m.Context, config.Seed, validBatches: t.ValidBatches);
        var optimizer = new Adam(model.Parameters(), o.Lr, o.Betas[0], o.Betas[1], o.Eps, o.WeightDecay, decoupled: true) { DecayMask = model.DecayMask() };
        long decaySteps = o.DecaySteps > 0 ? o.DecaySteps : t.MaxSteps;
        if (o.Schedule == "cosine" && decaySteps <= 0) throw new DataFormatException("config", 0, "optim.decay_steps: the cosine schedule needs decay_steps or train.max_steps");
        LearningRateSchedule schedule = o.Schedule == "cosine" ? new CosineSchedule(o.Lr, o.Warmup, decaySteps, o.MinLr) : new ConstantSchedule(o.Lr);
        var options = new TrainerOptions
        {
            Seed = config.Seed, MaxSteps = t.MaxSteps, MaxMinutes = t.MaxMinutes, Accumulation = o.Accumulation, ClipNorm = o.ClipNorm,
            ValidEvery = t.ValidEvery, CheckpointEvery = t.CheckpointEvery, LogEvery = t.LogEvery,
        };
        if (options.Problem() is { } optionsProblem) throw new DataFormatException("config", 0, "train: " + optionsProblem);
        return new LmRun(config, runDir, tokenizer, model, train, valid, task, new Trainer(task, optimizer, schedule, options));
    }

    /// <summary>Validation loss of the best model over train.final_valid_batches batches, a sample, and results.json.</summary>
    public LmResults Evaluate(TrainingResult training)
    {
        var best = ModelDirectory.LoadLm(Path.Combine(RunDir, "model"));
        var t = Config.Train;
        var final = new LanguageModelTask(best.Model, Tokenizer, TrainIds, ValidIds, Config.Optim.BatchSize, Config.Model.Context, Config.Seed, validBatches: t.FinalValidBatches);
        var validation = final.Validate();
        var s = Config.Sample;
        var prompt = Tokenizer.Encode(s.Prompt);
        string sample = prompt.Length == 0 ? "" : s.Prompt + Tokenizer.Decode(new LmGenerator(best.Model)
            .Generate(prompt, s.MaxTokens, new SamplingOptions(s.Temperature, s.TopK, s.TopP), new Rng((ulong)Config.Seed)).ToList());
        Text.AtomicFile.WriteAllText(Path.Combine(RunDir, "sample.txt"), sample);
        double seconds = training.Curve.Count > 0 ? training.Curve[^1].ElapsedSeconds : 0;
        var results = new LmResults(Math.Round(validation.Loss, 4), Math.Round(validation.Metrics["bits_per_token"], 4), t.FinalValidBatches * Config.Optim.BatchSize,
            training.Steps, Math.Round(seconds, 1), training.Steps == 0 ? 0 : Math.Round(1000 * seconds / training.Steps, 1), sample);
        RunConfigFile.WriteResults(RunDir, results);
        return results;
    }
}
