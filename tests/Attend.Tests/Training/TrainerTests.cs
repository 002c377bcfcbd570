// The training loop: a tiny Transformer learns to copy digit strings; a run interrupted mid-way and resumed from its
// last checkpoint ends with exactly the weights (and curve) of an uninterrupted run; checkpoints of another model are
// refused; averaging and accumulation behave as specified.
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tasks.Translation;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tests.Training;

public class TrainerTests
{
    internal sealed record Setup(Seq2SeqTransformer Model, TranslationTask Task, Adam Optimizer);

    /// <summary>Reversal (or copying) of random digit strings with a character tokenizer and a 1+1-layer d64 model.</summary>
    internal static Setup Reverse(ulong initSeed, float dropout = 0.1f, int pairs = 300, bool copy = false)
    {
        var rng = new Rng(7);
        var data = Enumerable.Range(0, pairs + 40).Select(_ =>
        {
            var s = new string(Enumerable.Range(0, 3 + rng.NextInt(5)).Select(_ => (char)('0' + rng.NextInt(10))).ToArray());
            return (Source: s, Target: copy ? s : new string(s.Reverse().ToArray()));
        }).ToList();
        var tok = CharTokenizer.Train(data.Select(p => p.Source));
        var cfg = new Seq2SeqConfig
        {
            VocabSize = tok.Vocabulary.Count, DModel = 64, NumHeads = 4, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 128, Dropout = dropout,
            NormFirst = true, PadId = SpecialTokens.Pad, BosId = SpecialTokens.Bos, EosId = SpecialTokens.Eos, MaxPositions = 32,
        };
        var model = new Seq2SeqTransformer(cfg, new Rng(initSeed));
        var translator = new Translator(model, tok);
        Example Ex((string Source, string Target) p) => new(translator.EncodeSource(p.Source), tok.Encode(p.Target));
        var task = new TranslationTask(model, tok, data.Take(pairs).Select(Ex).ToList(), data.Skip(pairs).Select(Ex).ToList(), data.Skip(pairs).Select(p => p.Target).ToList(),
            maxTokens: 300, seed: 3, labelSmoothing: 0.1f, new TranslationValidation(MaxLength: 12, Metric: "exact_match"));
        return new Setup(model, task, new Adam(model.Parameters(), 0f, beta2: 0.98f, eps: 1e-9f));
    }

    internal static Trainer TrainerOf(Setup s, TrainerOptions o) => new(s.Task, s.Optimizer, new InverseSqrtSchedule(5e-3f, 20), o);

    private static string TempDir() => Directory.CreateTempSubdirectory("attend-trainer-").FullName;

    [Fact]
    public void ATinyTransformerLearnsToCopyStrings()
    {
        var s = Reverse(1, dropout: 0f, copy: true);
        var result = TrainerOf(s, new TrainerOptions { MaxSteps = 300, ValidEvery = 100 }).Run(TempDir(), resume: false);
        Assert.Equal(3, result.Curve.Count);
        Assert.True(result.Curve[^1].ValidLoss < 0.5 * result.Curve[0].ValidLoss, $"valid loss {result.Curve[0].ValidLoss} → {result.Curve[^1].ValidLoss}");
        Assert.True(result.Curve[^1].Metrics["exact_match"] > 0.5, $"exact match {result.Curve[^1].Metrics["exact_match"]}");
    }

    private sealed class CancelAt(long step, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnProgress(StepReport report)
        {
            if (report.Step == step) cancel.Cancel();
        }
    }

    [Fact]
    public void AResumedRunEndsWithTheWeightsOfAnUninterruptedOne()
    {
        var options = new TrainerOptions { MaxSteps = 14, ValidEvery = 5, CheckpointEvery = 3, LogEvery = 1, Seed = 5, AverageLast = 0 };
        var full = Reverse(1);
        var expected = TrainerOf(full, options).Run(TempDir(), resume: false);

        string dir = TempDir();
        var first = Reverse(1);
        using var cancel = new CancellationTokenSource();
        var stopped = TrainerOf(first, options).Run(dir, resume: false, new CancelAt(8, cancel), cancel.Token); // last checkpoint: step 6
        Assert.True(stopped.Cancelled);
        Assert.Equal("cancelled", stopped.StopReason);
        Assert.Equal(8, stopped.Steps);

        var second = Reverse(99); // different initial weights: everything must come from the checkpoint
        var resumed = TrainerOf(second, options).Run(dir, resume: true);
        Assert.Equal(14, resumed.Steps);
        var want = full.Model.Parameters();
        var got = second.Model.Parameters();
        for (int i = 0; i < want.Count; i++) Assert.Equal(want[i].Data, got[i].Data);
        Assert.Equal(expected.Curve.Select(p => (p.Step, p.TrainLoss, p.ValidLoss)), resumed.Curve.Select(p => (p.Step, p.TrainLoss, p.ValidLoss)));
    }

    [Fact]
    public void TheSameSeedReproducesARunAndAnotherSeedDoesNot()
    {
        var options = new TrainerOptions { MaxSteps = 6, ValidEvery = 6 };
        var a = Reverse(1);
        var b = Reverse(1);
        var c = Reverse(1);
        TrainerOf(a, options).Run(TempDir(), resume: false);
        TrainerOf(b, options).Run(TempDir(), resume: false);
        TrainerOf(c, options with { Seed = 2 }).Run(TempDir(), resume: false);
        Assert.Equal(a.Model.Parameters()[0].Data, b.Model.Parameters()[0].Data);
        Assert.NotEqual(a.Model.Parameters()[0].Data, c.Model.Parameters()[0].Data);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedWithTheTensorName()
    {
        string dir = TempDir();
        var s = Reverse(1);
        TrainerOf(s, new TrainerOptions { MaxSteps = 2, ValidEvery = 2 }).Run(dir, resume: false);
        var other = new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 20, DModel = 16, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 32 }, new Rng(1));
        var e = Assert.Throws<SafeTensorsException>(() => TrainState.Load(Path.Combine(dir, TrainState.FileName), other, new Adam(other.Parameters(), 1e-3f)));
        Assert.Contains("model/", e.Message);
    }

    [Fact]
    public void TheBestModelIsExportedAndCurveFilesAreWritten()
    {
        string dir = TempDir();
        var s = Reverse(1);
        var result = TrainerOf(s, new TrainerOptions { MaxSteps = 10, ValidEvery = 5, AverageLast = 2 }).Run(dir, resume: false);
        Assert.True(File.Exists(Path.Combine(dir, "model", "config.json")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "snapshots")).Length);
        var csv = File.ReadAllLines(Path.Combine(dir, "curve.csv"));
        Assert.Equal("step,elapsed_s,train_loss,valid_loss,exact_match,ppl,bleu,best".Split(',').Order(), csv[0].Split(',').Order());
        Assert.Equal(1 + result.Curve.Count, csv.Length);
        System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(dir, "curve.svg")));
    }

    [Fact]
    public void AveragingTwoCheckpointsGivesTheElementwiseMean()
    {
        string dir = TempDir();
        var model = new Linear(3, 2, new Rng(1));
        var first = model.Parameters().Select(p => (float[])p.Data.Clone()).ToList();
        var w1 = new SafeTensorsWriter();
        ModuleWeights.Add(w1, model);
        w1.Save(Path.Combine(dir, "a.safetensors"));
        foreach (var p in model.Parameters()) for (int i = 0; i < p.Size; i++) p.Data[i] = 2f * p.Data[i] + 1f;
        var w2 = new SafeTensorsWriter();
        ModuleWeights.Add(w2, model);
        w2.Save(Path.Combine(dir, "b.safetensors"));
        CheckpointAveraging.Average(model, [Path.Combine(dir, "a.safetensors"), Path.Combine(dir, "b.safetensors")]);
        var ps = model.Parameters();
        for (int k = 0; k < ps.Count; k++)
            for (int i = 0; i < ps[k].Size; i++) Assert.Equal((first[k][i] + 2f * first[k][i] + 1f) / 2f, ps[k].Data[i], 5);
    }

    [Fact]
    public void OptionsWithoutAnyLimitAreRejected()
    {
        Assert.Contains("max_steps", new TrainerOptions().Problem());
        Assert.Null(new TrainerOptions { MaxEpochs = 1 }.Problem());
        Assert.Contains("accumulation", new TrainerOptions { MaxSteps = 1, Accumulation = 0 }.Problem());
    }
}
