// Builds a translation training run from its config: reads the corpora, trains (or loads) the joint tokenizer, builds
// the Transformer, the task, Adam and the schedule, and after training scores the test set with beam search. The run
// directory gets config.json (the resolved config), tokenizer.json, the trainer's files and results.json.
using System.Text.Json;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Corpora;
using Attend.Text.Metrics;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Translation;

/// <summary>Test-set scores of a finished run.</summary>
public sealed record TranslationResults(double Bleu, double BleuLowercase, string Signature, double Chrf, int Sentences, int Beam, long Steps, double TrainSeconds);

/// <summary>A prepared translation run: its config, directory, tokenizer, trainer and test pairs.</summary>
public sealed record TranslationRun(TranslationConfig Config, string RunDir, ITokenizer Tokenizer, Trainer Trainer, List<SentencePair> Test) : IRun<TranslationResults>
{
    /// <summary>Reads data and builds everything; with <paramref name="resume"/> the run directory's tokenizer is reused.</summary>
    public static TranslationRun Prepare(TranslationConfig config, string runDir, bool resume, Action<string>? log = null)
    {
        RunConfigFile.StartRun(runDir, config, config.Problem());
        log ??= _ => { };
        var (train, valid, test) = ReadPairs(config.Data);
        log($"{train.Count:N0} training, {valid.Count:N0} validation, {test.Count:N0} test pairs");
        var tokenizer = config.Tokenizer.Resolve(runDir, resume,
            () => Tokenizers.Train(config.Tokenizer.Type, train.SelectMany(p => new[] { p.Source, p.Target }).ToList(), config.Tokenizer.VocabSize, Standardize.Lower));
        log($"{tokenizer.Type} tokenizer with {tokenizer.Vocabulary.Count:N0} tokens");

        var m = config.Model;
        var model = m.Create(tokenizer.Vocabulary.Count, config.Seed);
        var translator = new Translator(model, tokenizer);
        int maxLen = Math.Min(config.Data.MaxLength, Math.Min(m.MaxTargetLength, m.MaxSourceLength) - 1);
        var trainExamples = new List<Example>();
        foreach (var p in train)
        {
            var src = tokenizer.Encode(p.Source);
            var tgt = tokenizer.Encode(p.Target);
            if (src.Length == 0 || tgt.Length == 0 || src.Length > maxLen || tgt.Length > maxLen) continue;
            trainExamples.Add(new Example([.. src, model.EosId], tgt));
        }
        if (trainExamples.Count == 0)
            throw new DataFormatException("config", 0, $"data.max_length: no training pair has both sides within {maxLen} tokens{(maxLen < config.Data.MaxLength ? $" (the model's positions allow {maxLen})" : "")}");
        log($"{trainExamples.Count:N0} training pairs within {maxLen} tokens; model of {model.ParameterCount():N0} parameters");
        var validExamples = valid.Select(p => new Example(translator.EncodeSource(p.Source, maxLen + 1), Truncate(tokenizer.Encode(p.Target), maxLen))).ToList();
        var (o, t) = (config.Optim, config.Train);
        var task = new TranslationTask(model, tokenizer, trainExamples, validExamples, valid.Select(p => p.Target).ToList(), o.MaxTokens, config.Seed, o.LabelSmoothing,
            new TranslationValidation(t.ValidSentences, t.ValidLowercase, config.Eval.MaxLength));
        return new TranslationRun(config, runDir, tokenizer, TrainerSetup.Create(task, o, t, config.Seed, log, modelWidth: m.Width), test);
    }

    /// <summary>Scores the best model on the test set (beam search), writes results.json and the hypotheses.</summary>
    public TranslationResults? Evaluate(TrainingResult? training)
    {
        if (Test.Count == 0) return null;
        var best = ModelRegistry.Load<Seq2SeqModel>(Path.Combine(RunDir, "model"));
        var translator = new Translator(best.Model, best.Tokenizer ?? Tokenizer);
        var e = Config.Eval;
        var hyps = translator.Translate(Test.Select(p => p.Source).ToList(), e.Beam, e.Alpha, e.MaxLength);
        var refs = Test.Select(p => p.Target).ToList();
        Text.AtomicFile.WriteAllText(Path.Combine(RunDir, "test.hyp.txt"), string.Join("\n", hyps) + "\n");
        var cased = Bleu.Corpus(hyps, [refs]);
        var lower = Bleu.Corpus(hyps, [refs], lowercase: true);
        var chrf = Chrf.Corpus(hyps, [refs]);
        var results = new TranslationResults(Math.Round(cased.Score, 2), Math.Round(lower.Score, 2), cased.Signature, Math.Round(chrf.Score, 2), Test.Count, e.Beam,
            training?.Steps ?? 0, training?.Seconds ?? 0);
        RunConfigFile.WriteResults(RunDir, results);
        return results;
    }

    private static int[] Truncate(int[] ids, int max) => ids.Length > max ? ids[..max] : ids;

    private static (List<SentencePair> Train, List<SentencePair> Valid, List<SentencePair> Test) ReadPairs(TranslationDataConfig d)
    {
        if (d.Tsv is { } tsv)
        {
            // spa-eng style: one file; a fixed shuffle (seeded, independent of the run seed) then test, valid, train
            var all = ParallelCorpus.ReadTabSeparated(tsv, d.TsvSourceColumn, 1 - d.TsvSourceColumn).ToArray();
            new Rng(12345).Shuffle(all.AsSpan());
            if (all.Length <= d.ValidPairs + d.TestPairs) throw new DataFormatException(tsv, 0, $"{all.Length} pairs: too few for {d.ValidPairs} validation and {d.TestPairs} test pairs");
            return (all.Skip(d.ValidPairs + d.TestPairs).ToList(), all.Skip(d.TestPairs).Take(d.ValidPairs).ToList(), all.Take(d.TestPairs).ToList());
        }
        var train = ParallelCorpus.ReadAligned(d.TrainSource!, d.TrainTarget!).ToList();
        var valid = ParallelCorpus.ReadAligned(d.ValidSource!, d.ValidTarget!).ToList();
        if (train.Count == 0) throw new DataFormatException(d.TrainSource!, 0, "no sentence pairs to train on (the file is empty)");
        if (valid.Count == 0) throw new DataFormatException(d.ValidSource!, 0, "no sentence pairs to validate on (the file is empty)");
        var test = d.TestSource is null ? [] : ParallelCorpus.ReadAligned(d.TestSource, d.TestTarget!).ToList();
        return (train, valid, test);
    }
}
