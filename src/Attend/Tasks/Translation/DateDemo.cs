// `attend demo`: train a small Transformer on the built-in date task (DateCorpus) and measure it on held-out dates.
// 20,000 training pairs, 300 validation and 1,000 test pairs whose sources never occur in training; a 600-token BPE
// vocabulary learned on the training pairs, so that month and weekday names, ordinals and the frequent numbers are one
// token each ("saturday, march 14, 1998" is 5 tokens where it was 24 characters: the same model learns in 400
// updates what took 900 on characters); a pre-norm 2+2-layer d128 Transformer without dropout; batches of 2,000
// tokens; Adam with warm-up over the first tenth to 4e-3 and cosine decay over the run, label smoothing 0.1;
// validation by exact match every 200 updates.
// Training stops after a fixed number of updates or at a perfect validation score, never on the clock: a slower
// machine takes longer, and trains the same model for a seed (up to the rounding of its vector width).
using Attend.Text.Corpora;
using Attend.Models;
using System.Diagnostics;
using Attend.Decoding;
using Attend.Nn;
using Attend.Reporting;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Translation;

/// <summary>Settings of the demo.</summary>
public sealed record DateDemoOptions
{
    public int Seed { get; init; } = 1;
    public int TrainPairs { get; init; } = 20000;
    public int ValidPairs { get; init; } = 300;
    public int TestPairs { get; init; } = 1000;
    /// <summary>Optimizer updates (fewer when validation is perfect first).</summary>
    public long Updates { get; init; } = 400;
    /// <summary>Tokens of the BPE vocabulary learned on the training pairs (specials included).</summary>
    public int VocabSize { get; init; } = 600;
}

/// <summary>One test translation.</summary>
public sealed record DemoExample(string Source, string Reference, string Output)
{
    public bool Correct => Output == Reference;
}

/// <summary>The demo's outcome.</summary>
public sealed record DateDemoResult(double ExactMatch, int TestCount, IReadOnlyList<DemoExample> Examples, string HeatmapPath, string CurvePath,
    string ModelPath, double Seconds, TrainingResult Training);

/// <summary>Runs the built-in date-translation demo.</summary>
public static class DateDemo
{
    /// <summary>The model of the demo for a vocabulary of <paramref name="vocabSize"/>.</summary>
    public static Seq2SeqConfig ModelConfig(int vocabSize) => new()
    {
        VocabSize = vocabSize, DModel = 128, NumHeads = 4, EncoderLayers = 2, DecoderLayers = 2, DimFeedforward = 256, Dropout = 0f, NormFirst = true,
        PadId = SpecialTokens.Pad, BosId = SpecialTokens.Bos, EosId = SpecialTokens.Eos, MaxPositions = 64,
    };

    /// <summary>Trains into <paramref name="outDir"/> and evaluates on held-out dates.</summary>
    public static DateDemoResult Run(string outDir, DateDemoOptions options, ITrainingObserver? observer = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var train = DateCorpus.Generate(options.TrainPairs, (ulong)options.Seed);
        var seen = train.Select(p => p.Source).ToHashSet();
        var heldOut = DateCorpus.Generate(4 * (options.ValidPairs + options.TestPairs), Rng.Derive((ulong)options.Seed, 1))
            .Where(p => seen.Add(p.Source)).ToList(); // unseen sources, each once
        if (heldOut.Count < options.ValidPairs + options.TestPairs) throw new InvalidOperationException("too few distinct held-out dates; lower the pair counts");
        var valid = heldOut.Take(options.ValidPairs).ToList();
        var test = heldOut.Skip(options.ValidPairs).Take(options.TestPairs).ToList();

        var tokenizer = BpeTokenizer.Train(train.SelectMany(p => new[] { p.Source, p.Target }), options.VocabSize);
        var model = new Seq2SeqTransformer(ModelConfig(tokenizer.Vocabulary.Count), new Rng((ulong)options.Seed));
        var translator = new Translator(model, tokenizer);
        Example ToExample((string Source, string Target) p) => new(translator.EncodeSource(p.Source), tokenizer.Encode(p.Target));
        var task = new TranslationTask(model, tokenizer, train.Select(ToExample).ToList(), valid.Select(ToExample).ToList(), valid.Select(p => p.Target).ToList(),
            maxTokens: 2000, seed: options.Seed, labelSmoothing: 0.1f, new TranslationValidation(MaxLength: 16, Metric: "exact_match"));
        var optim = new OptimConfig
        {
            Optimizer = OptimizerKind.Adam, Lr = 4e-3f, MinLr = 4e-5f, Betas = [0.9f, 0.98f], Eps = 1e-9f, Schedule = ScheduleKind.Cosine,
            Warmup = (int)Math.Max(1, options.Updates / 10), DecaySteps = options.Updates, ClipNorm = 1f,
        };
        var loop = new TrainConfig { MaxSteps = options.Updates, ValidEvery = 200, StopAtScore = 1.0, LogEvery = 5 };
        var result = TrainerSetup.Create(task, optim, loop, options.Seed).Run(outDir, resume: false, observer, cancel);

        string modelDir = Path.Combine(outDir, "model");
        var best = ModelRegistry.Load<Seq2SeqModel>(modelDir);
        var bestTranslator = new Translator(best.Model, tokenizer);
        var outputs = bestTranslator.Translate(test.Select(p => p.Source).ToList(), maxLength: 16);
        var examples = test.Zip(outputs, (p, o) => new DemoExample(p.Source, p.Target, o)).ToList();
        double exact = TranslationTask.ExactMatch(outputs, test.Select(p => p.Target).ToList());

        var shown = examples[0];
        var srcIds = bestTranslator.EncodeSource(shown.Source);
        var outIds = bestTranslator.TranslateIds([srcIds], maxLength: 16)[0].Append(best.Model.EosId).ToArray();
        var maps = CrossAttentionMap.Compute(best.Model, srcIds, outIds);
        string Label(int id) => id == SpecialTokens.Eos ? "</s>" : tokenizer.Vocabulary[id].Replace(BpeTokenizer.EndOfWord, "␣");
        string heatmap = Path.Combine(outDir, "attention.svg");
        Text.AtomicFile.WriteAllText(heatmap, SvgHeatmap.Render($"Cross-attention, last decoder layer (heads averaged): \"{shown.Source}\"",
            outIds.Select(Label).ToList(), srcIds.Select(Label).ToList(), maps[^1]));
        return new DateDemoResult(exact, test.Count, examples, heatmap, Path.Combine(outDir, "curve.svg"), modelDir, clock.Elapsed.TotalSeconds, result);
    }
}
