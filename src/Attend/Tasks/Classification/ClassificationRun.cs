// Builds a classification run from its config: reads the labelled texts, trains (or, on resume, reloads) the word
// tokenizer on the training texts, fills the classifier's labels and vocabulary from the data, and builds the task,
// Adam and the schedule. After training, Evaluate reloads the best model and scores validation and test
// (accuracy, macro-F1, loss) into results.json.
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Classification;

/// <summary>Scores of a finished run.</summary>
public sealed record ClassificationResults(string Model, long Parameters, long Steps, double TrainSeconds, double ValidAccuracy, double TestAccuracy,
    double TestMacroF1, double TestLoss, int TestTexts);

/// <summary>A prepared classification run: its config, directory, classifier, data, encoded validation texts and trainer.</summary>
public sealed record ClassificationRun(ClassificationConfig Config, string RunDir, ClassificationData Data, Trainer Trainer) : IRun<ClassificationResults>
{
    /// <summary>Reads the data and builds everything; with <paramref name="resume"/> the run directory's tokenizer is reused.</summary>
    public static ClassificationRun Prepare(ClassificationConfig config, string runDir, bool resume, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var data = ClassificationData.Load(config.Data, config.Seed);
        log($"{data.Train.Count:N0} training, {data.Valid.Count:N0} validation and {data.Test?.Count ?? 0:N0} test texts; labels {string.Join(", ", data.Labels)}");

        var cut = config.Data.Text;
        if (config.Model.Init is { } init) return PrepareFineTuning(config, runDir, data, init, log);
        var tokenizer = config.Tokenizer.Resolve(runDir, resume,
            () => Tokenizers.Train(config.Tokenizer.Type, data.Train.Select(t => cut.Clean(t.Text)).ToList(), config.Tokenizer.VocabSize));

        var modelConfig = Fill(config.Model, data.Labels, tokenizer.Vocabulary.Count);
        if (modelConfig.Problem() is { } modelProblem) throw new DataFormatException("config", 0, "model." + modelProblem);
        var model = TrainingBudget.Build(() => new TextClassifier(modelConfig, new Rng((ulong)config.Seed)));
        if (model.MaxTokens is int limit && (cut.MaxTokens == 0 || cut.MaxTokens > limit))
            throw new DataFormatException("config", 0, $"data.text.max_tokens ({cut.MaxTokens}) must be between 1 and {limit}: the encoder's max_length less the [CLS] token");
        var classifier = new Classifier(model, tokenizer, cut);
        var train = EncodedTexts.From(classifier, data.Train);
        var valid = EncodedTexts.From(classifier, data.Valid);
        double meanLength = train.Ids.Average(ids => ids.Length);
        log($"{tokenizer.Type} tokenizer with {tokenizer.Vocabulary.Count:N0} tokens; {meanLength:F0} tokens per training text after the cut at {cut.MaxTokens} ({cut.Truncate})");
        log($"{Describe(modelConfig)} with {model.ParameterCount():N0} parameters");

        var task = new ClassificationTask(classifier, train, valid, config.Optim.MaxTokens, config.Seed, config.Optim.LabelSmoothing);
        var trainer = TrainerSetup.Create(task, config.Optim, config.Train, config.Seed, log);
        return new ClassificationRun(config, runDir, data, trainer);
    }

    // transfer learning: a pretrained BERT-family encoder with a new head (BertClassificationTask)
    private static ClassificationRun PrepareFineTuning(ClassificationConfig config, string runDir, ClassificationData data, string init, Action<string> log)
    {
        var classifier = BertClassificationTask.Start(init, data.Labels, config.Data.Text, config.Model.FreezeLayers, config.Seed);
        var task = new BertClassificationTask(classifier, data.Train, data.Valid, config.Optim.MaxTokens, config.Seed, config.Optim.LabelSmoothing);
        var model = classifier.Model;
        string where = classifier.Cut!.Truncate.Replace("_", " + ");
        long trainable = model.Parameters().Where(p => p.RequiresGrad).Sum(p => (long)p.Size);
        log($"fine-tuning {init}: {Describe(model.Config)}, {model.ParameterCount():N0} parameters ({trainable:N0} trained); " +
            $"{task.MeanLength:F0} WordPiece tokens per training text (at most {classifier.MaxLength}, cut at the {where}); batches of {task.BatchShape.Texts} texts padded to {task.BatchShape.Length}");
        var trainer = TrainerSetup.Create(task, config.Optim, config.Train, config.Seed, log);
        return new ClassificationRun(config, runDir, data, trainer);
    }

    /// <summary>Scores the best model on validation and test; writes results.json.</summary>
    public ClassificationResults Evaluate(TrainingResult? training)
    {
        var best = ClassifierEnsemble.Load([Path.Combine(RunDir, "model")]);
        int budget = 2 * Config.Optim.MaxTokens;
        var valid = best.Score(Data.Valid, budget);
        var test = Data.Test is null ? (Accuracy: double.NaN, MacroF1: double.NaN, Loss: double.NaN) : best.Score(Data.Test, budget);
        var (description, parameters) = best.Members[0] switch
        {
            Classifier c => (Describe(c.Model.Config), c.Model.ParameterCount()),
            BertTextClassifier b => (Describe(b.Model.Config), b.Model.ParameterCount()),
            var other => (other.GetType().Name, 0L),
        };
        var results = new ClassificationResults(description, parameters, training?.Steps ?? 0, training?.Seconds ?? 0,
            Round(valid.Accuracy), Round(test.Accuracy), Round(test.MacroF1), Round(test.Loss), Data.Test?.Count ?? 0);
        RunConfigFile.WriteResults(RunDir, results);
        return results;
    }

    /// <summary>A one-line description of a fine-tuned BERT classifier.</summary>
    public static string Describe(BertConfig c) => $"BERT ({c.NumLayers} layers, width {c.HiddenSize}, {c.NumHeads} heads, [CLS] pooler)";

    /// <summary>A one-line description of a classifier, e.g. "transformer (1 layer, width 128, max pooling)".</summary>
    public static string Describe(TextClassifierConfig c) => c.Encoder is { } e
        ? $"{Text.SnakeCaseEnums.Name(e.Kind)} ({e.NumLayers} layer{(e.NumLayers == 1 ? "" : "s")}, {(e.Kind == EncoderKind.Transformer ? $"width {e.InputWidth}, {e.NumHeads} heads" : $"hidden {e.HiddenSize} × 2 directions")}, {Text.SnakeCaseEnums.Name(c.Pooling)} pooling)"
        : $"bag of n-grams ({(c.Bow!.BigramBuckets > 0 ? $"unigrams and {c.Bow.BigramBuckets:N0} bigram buckets" : "unigrams")})";

    private static TextClassifierConfig Fill(TextClassifierConfig m, string[] labels, int vocab) => m with
    {
        Labels = labels,
        Encoder = m.Encoder is null ? null : m.Encoder with { VocabSize = vocab },
        Bow = m.Bow is null ? null : m.Bow with { VocabSize = vocab },
    };

    private static double Round(double v) => Math.Round(v, 4);
}
