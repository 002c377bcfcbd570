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

/// <summary>A prepared language-model run: its config, directory, tokenizer, encoded text and trainer.</summary>
public sealed record LmRun(LmConfig Config, string RunDir, ITokenizer Tokenizer, int[] TrainIds, int[] ValidIds, Trainer Trainer) : IRun<LmResults>
{
    /// <summary>Reads the text and builds everything; with <paramref name="resume"/> the run directory's tokenizer is reused.</summary>
    public static LmRun Prepare(LmConfig config, string runDir, bool resume, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var (trainText, validText) = TextSplit.Read(config.Data.Text!, config.Data.ValidFraction);
        log($"{trainText.Length:N0} training and {validText.Length:N0} validation characters from {config.Data.Text}");
        var tokenizer = config.Tokenizer.Resolve(runDir, resume, () => Tokenizers.Train(config.Tokenizer.Type, [trainText], config.Tokenizer.VocabSize, Standardize.None));
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
        var task = new LanguageModelTask(model, tokenizer, train, valid, config.Optim.BatchSize, m.Context, config.Seed, validBatches: config.Train.ValidBatches);
        var trainer = TrainerSetup.Create(task, config.Optim, config.Train, config.Seed, log, modelWidth: m.DModel, decayMask: model.DecayMask());
        return new LmRun(config, runDir, tokenizer, train, valid, trainer);
    }

    /// <summary>Validation loss of the best model over train.final_valid_batches batches, a sample, and results.json.</summary>
    public LmResults Evaluate(TrainingResult? training)
    {
        var best = ModelRegistry.Load<DecoderLm>(Path.Combine(RunDir, "model"));
        var t = Config.Train;
        var final = new LanguageModelTask(best.Model, Tokenizer, TrainIds, ValidIds, Config.Optim.BatchSize, Config.Model.Context, Config.Seed, validBatches: t.FinalValidBatches);
        var validation = final.Validate();
        var s = Config.Sample;
        var prompt = Tokenizer.Encode(s.Prompt);
        string sample = prompt.Length == 0 ? "" : s.Prompt + Tokenizer.Decode(new LmGenerator(best.Model)
            .Generate(prompt, s.MaxTokens, new SamplingOptions(s.Temperature, s.TopK, s.TopP), new Rng((ulong)Config.Seed)).ToList());
        Text.AtomicFile.WriteAllText(Path.Combine(RunDir, "sample.txt"), sample);
        long steps = training?.Steps ?? 0;
        double seconds = training?.Seconds ?? 0;
        var results = new LmResults(Math.Round(validation.Loss, 4), Math.Round(validation.Metrics["bits_per_token"], 4), t.FinalValidBatches * Config.Optim.BatchSize,
            steps, seconds, steps == 0 ? 0 : Math.Round(1000 * seconds / steps, 1), sample);
        RunConfigFile.WriteResults(RunDir, results);
        return results;
    }
}
