// The moving average of the weights: its update against hand-computed values (with the decay's warm-up), Swap,
// the checkpoint round trip and its refusals, and the trainer's use of it: the exported model is the average, and a
// resumed run ends with the average of an uninterrupted one.
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tasks.Forecasting;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Tests.Training;

public class ExponentialMovingAverageTests
{
    private static List<float[]> Weights(Module m) => m.StateTensors().Select(t => (float[])t.Data.Clone()).ToList();

    private static void Set(Module m, Func<float, float> f)
    {
        foreach (var t in m.StateTensors()) for (int i = 0; i < t.Size; i++) t.Data[i] = f(t.Data[i]);
    }

    [Fact]
    public void AnUpdateMixesTheAverageAndTheWeightsWithTheWarmedUpDecay()
    {
        var model = new Linear(3, 2, new Rng(1));
        var w0 = Weights(model);
        var ema = new ExponentialMovingAverage(model, 0.9);
        Assert.Equal(2.0 / 11.0, ema.DecayAt(1), 12); // (1 + 1) / (10 + 1) < 0.9
        Assert.Equal(0.9, ema.DecayAt(1000), 12);

        Set(model, v => 2f * v + 1f);
        var w1 = Weights(model);
        ema.Update(1);
        double d1 = 2.0 / 11.0;
        for (int k = 0; k < w0.Count; k++)
            for (int i = 0; i < w0[k].Length; i++) Assert.Equal(d1 * w0[k][i] + (1 - d1) * w1[k][i], ema.Shadow(k)[i], 5);
        var after1 = Enumerable.Range(0, w0.Count).Select(k => ema.Shadow(k).ToArray()).ToList();

        Set(model, v => v - 3f);
        var w2 = Weights(model);
        ema.Update(1000);
        for (int k = 0; k < w0.Count; k++)
            for (int i = 0; i < w0[k].Length; i++) Assert.Equal(0.9 * after1[k][i] + 0.1 * w2[k][i], ema.Shadow(k)[i], 5);
    }

    [Fact]
    public void SwapExchangesTheWeightsWithTheAverageAndSwappingAgainRestoresThem()
    {
        var model = new Linear(4, 3, new Rng(2));
        var ema = new ExponentialMovingAverage(model, 0.5);
        Set(model, v => v + 1f);
        ema.Update(100);
        var raw = Weights(model);
        var average = Enumerable.Range(0, raw.Count).Select(k => ema.Shadow(k).ToArray()).ToList();
        Assert.NotEqual(raw[0], average[0]);
        ema.Swap();
        Assert.Equal(average, Weights(model));
        Assert.Equal(raw, Enumerable.Range(0, raw.Count).Select(k => ema.Shadow(k).ToArray()).ToList());
        ema.Swap();
        Assert.Equal(raw, Weights(model));
    }

    [Fact]
    public void TheAverageSurvivesACheckpointAndOneOfAnotherModelIsRefused()
    {
        string dir = Directory.CreateTempSubdirectory("attend-ema-").FullName;
        var model = new Linear(3, 2, new Rng(1));
        var ema = new ExponentialMovingAverage(model, 0.9);
        Set(model, v => v * 5f);
        ema.Update(50);
        var writer = new SafeTensorsWriter();
        ema.Save(writer);
        string path = Path.Combine(dir, "ema.safetensors");
        writer.Save(path);

        var copy = new ExponentialMovingAverage(model, 0.9);
        Assert.True(copy.Load(SafeTensorsFile.Load(path)));
        for (int k = 0; k < 2; k++) Assert.Equal(ema.Shadow(k).ToArray(), copy.Shadow(k).ToArray());

        var wider = new ExponentialMovingAverage(new Linear(4, 2, new Rng(1)), 0.9);
        var e = Assert.Throws<SafeTensorsException>(() => wider.Load(SafeTensorsFile.Load(path)));
        Assert.Contains("ema/0", e.Message);

        var empty = new SafeTensorsWriter();
        empty.Add("other", new float[] { 1f }, [1]);
        empty.Save(Path.Combine(dir, "none.safetensors"));
        Assert.False(copy.Load(SafeTensorsFile.Load(Path.Combine(dir, "none.safetensors"))));
        for (int k = 0; k < 2; k++) Assert.Equal(model.StateTensors()[k].Data, copy.Shadow(k).ToArray()); // restarted at the weights
    }

    [Fact]
    public void TheTrainerExportsTheAverageAndResumesItExactly()
    {
        var options = new TrainerOptions { MaxSteps = 12, ValidEvery = 12, CheckpointEvery = 3, LogEvery = 1, Seed = 5, EmaDecay = 0.8 };
        var full = TrainerTests.Reverse(1);
        string fullDir = Directory.CreateTempSubdirectory("attend-ema-").FullName;
        var trainer = TrainerTests.TrainerOf(full, options);
        trainer.Run(fullDir, resume: false);
        var exported = ModelRegistry.Load<Seq2SeqModel>(Path.Combine(fullDir, "model")).Model.StateTensors();
        var raw = full.Model.StateTensors();
        Assert.NotEqual(raw[0].Data, exported[0].Data); // the average, not the last weights
        for (int k = 0; k < raw.Count; k++) Assert.Equal(trainer.Average!.Shadow(k).ToArray(), exported[k].Data);

        string dir = Directory.CreateTempSubdirectory("attend-ema-").FullName;
        var first = TrainerTests.Reverse(1);
        using var cancel = new CancellationTokenSource();
        TrainerTests.TrainerOf(first, options).Run(dir, resume: false, new CancelAfter(8, cancel), cancel.Token); // last checkpoint: step 6
        var second = TrainerTests.Reverse(99);
        TrainerTests.TrainerOf(second, options).Run(dir, resume: true);
        var resumed = ModelRegistry.Load<Seq2SeqModel>(Path.Combine(dir, "model")).Model.StateTensors();
        for (int k = 0; k < raw.Count; k++) Assert.Equal(exported[k].Data, resumed[k].Data);
    }

    private sealed class CancelAfter(long step, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnProgress(StepReport report)
        {
            if (report.Step == step) cancel.Cancel();
        }
    }

    [Fact]
    public void ADecayOutsideZeroToOneIsRefusedWithItsKey()
    {
        var train = new ForecastConfig().Train;
        Assert.Contains("train.ema_decay", (train with { EmaDecay = 1 }).Problem());
        Assert.Contains("train.ema_decay", (train with { EmaDecay = -0.1 }).Problem());
        Assert.Null((train with { EmaDecay = 0.99 }).Problem());
        Assert.Contains("ema_decay", new TrainerOptions { MaxSteps = 1, EmaDecay = 1.5 }.Problem());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(new Linear(1, 1, new Rng(1)), 1.0));
    }
}
