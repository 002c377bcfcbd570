// Builds a tagging run from its config: reads the treebank, builds (or, on resume, reloads) the word vocabulary of
// lowercased training forms and the character vocabulary of the training forms as written, fills the tagger's labels
// and vocabularies, and builds the task, Adam and the schedule. After training, Evaluate reloads the best model and
// scores validation and test word accuracy (with the accuracy on words unseen in training) into results.json.
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Tagging;

/// <summary>Scores of a finished run (word accuracies).</summary>
public sealed record TaggingResults(string Model, long Parameters, long Steps, double TrainSeconds, double ValidAccuracy, double TestAccuracy,
    double TestUnseenAccuracy, int TestWords, int TestUnseenWords);

/// <summary>A prepared tagging run: its config, directory, tagger, data and trainer.</summary>
public sealed record TaggingRun(TaggingConfig Config, string RunDir, SequenceTagger Tagger, TaggedSentences Data, Trainer Trainer) : IRun<TaggingResults>
{
    /// <summary>Reads the data and builds everything; with <paramref name="resume"/> the run directory's vocabularies are reused.</summary>
    public static TaggingRun Prepare(TaggingConfig config, string runDir, bool resume, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var data = TaggedSentences.Load(config.Data, config.Seed);
        log($"{data.Train.Count:N0} training, {data.Valid.Count:N0} validation and {data.Test?.Count ?? 0:N0} test sentences " +
            $"({data.Train.Sum(s => s.Forms.Length):N0} / {data.Valid.Sum(s => s.Forms.Length):N0} / {data.Test?.Sum(s => s.Forms.Length) ?? 0:N0} words); {data.Tags.Length} tags");

        var forms = data.Train.SelectMany(s => s.Forms).ToList();
        string wordsPath = Path.Combine(runDir, "tokenizer.json"), charsPath = Path.Combine(runDir, SequenceTagger.CharactersFile);
        ITokenizer words = resume && File.Exists(wordsPath) ? TokenizerFile.Load(wordsPath) : WordVocabulary(forms, config.Data);
        TokenizerFile.Save(words, wordsPath);
        bool useChars = config.Model.Encoder.CharVocabSize > 0;
        ITokenizer? chars = !useChars ? null : resume && File.Exists(charsPath) ? TokenizerFile.Load(charsPath) : CharTokenizer.Train(forms);
        if (chars is not null) TokenizerFile.Save(chars, charsPath);

        var modelConfig = config.Model with
        {
            Labels = data.Tags,
            Column = config.Data.Column,
            Encoder = config.Model.Encoder with { VocabSize = words.Vocabulary.Count, CharVocabSize = chars?.Vocabulary.Count ?? 0 },
        };
        if (modelConfig.Problem() is { } modelProblem) throw new DataFormatException("config", 0, "model." + modelProblem);
        var tagger = new SequenceTagger(TrainingBudget.Build(() => new Tagger(modelConfig, new Rng((ulong)config.Seed))), words, chars);
        var e = modelConfig.Encoder;
        var train = data.Train;
        if (e.Kind == EncoderKind.Transformer)
        {
            train = train.Where(s => s.Forms.Length <= e.MaxLength).ToList();
            if (train.Count < data.Train.Count) log($"{data.Train.Count - train.Count} training sentences longer than max_length {e.MaxLength} are left out");
        }
        log($"{words.Vocabulary.Count:N0} words{(chars is null ? "" : $" and {chars.Vocabulary.Count:N0} characters")}; {Describe(modelConfig)} with {tagger.Model.ParameterCount():N0} parameters");

        var task = new TaggingTask(tagger, train, data.Valid, config.Optim.MaxTokens, config.Seed, config.Optim.LabelSmoothing);
        var trainer = TrainerSetup.Create(task, config.Optim, config.Train, config.Seed, log);
        return new TaggingRun(config, runDir, tagger, data, trainer);
    }

    /// <summary>Scores the best model on validation and test; writes results.json.</summary>
    public TaggingResults Evaluate(TrainingResult? training)
    {
        var best = SequenceTagger.Load(Path.Combine(RunDir, "model"));
        var valid = best.Score(Data.Valid);
        var seen = Data.Train.SelectMany(s => s.Forms).ToHashSet(StringComparer.Ordinal);
        var test = Data.Test is { } testSet ? best.Score(testSet, seen) : null;
        var results = new TaggingResults(Describe(best.Model.Config), best.Model.ParameterCount(), training?.Steps ?? 0, training?.Seconds ?? 0,
            Math.Round(valid.Accuracy, 4), Math.Round(test?.Accuracy ?? double.NaN, 4), Math.Round(test?.UnseenAccuracy ?? double.NaN, 4),
            test?.Words ?? 0, test?.UnseenWords ?? 0);
        RunConfigFile.WriteResults(RunDir, results);
        return results;
    }

    /// <summary>A one-line description, e.g. "lstm tagger (2 layers, hidden 128 × 2, character features)".</summary>
    public static string Describe(TaggerConfig c)
    {
        var e = c.Encoder;
        string size = e.Kind == EncoderKind.Transformer ? $"width {e.InputWidth}, {e.NumHeads} heads" : $"hidden {e.HiddenSize} × 2";
        return $"{Text.SnakeCaseEnums.Name(e.Kind)} tagger ({e.NumLayers} layer{(e.NumLayers == 1 ? "" : "s")}, {size}{(e.UsesCharacters ? ", character features" : "")})";
    }

    /// <summary>
    /// The lowercased forms seen at least min_count times, most frequent first (ties by first appearance), at most
    /// vocab_size − 4 of them.
    /// </summary>
    public static WordTokenizer WordVocabulary(IEnumerable<string> forms, TaggingDataConfig data)
    {
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        foreach (var form in forms)
        {
            string w = form.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant();
            counts[w] = counts.TryGetValue(w, out var c) ? (c.Count + 1, c.First) : (1, counts.Count);
        }
        var kept = counts.Where(kv => kv.Value.Count >= data.MinCount && !SpecialTokens.Names.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First)
            .Take(data.VocabSize - SpecialTokens.Names.Length).Select(kv => kv.Key);
        return new WordTokenizer(kept, Standardize.Lower);
    }
}
