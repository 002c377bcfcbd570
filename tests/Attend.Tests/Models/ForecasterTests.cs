// Forecaster families: the naive baselines against hand-computed forecasts, an ensemble's average over members with
// their own look-backs, DLinear's moving average against an explicit padded average, RevIN's inverse, PatchTST's channel independence, gradients through the patch model, and
// a noisy sine that the trained families learn in seconds well enough to beat repeat-last-value.
using Attend.Autograd;
using Attend.Data;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tasks.Forecasting;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Tests.Autograd;
using Attend.Training;

namespace Attend.Tests.Models;

public class ForecasterTests
{
    private static Tensor Window(float[] values, int l, int c) => new(values, new Shape(1, l, c));

    [Fact]
    public void NaiveBaselinesForecastAsDefined()
    {
        // one window, L = 4, C = 2: channel 0 = 1, 2, 3, 4; channel 1 = 10, 20, 30, 40
        var x = Window([1, 10, 2, 20, 3, 30, 4, 40], 4, 2);
        ForecasterConfig C(string kind) => new() { Kind = Enum.Parse<ForecasterKind>(kind, ignoreCase: true), Channels = 2, Lookback = 4, Horizon = 3, Period = 2 };
        Assert.Equal([2.5f, 25, 2.5f, 25, 2.5f, 25], Forecaster.Create(C("mean"), new Rng(1)).Forward(x).Data);
        Assert.Equal([4f, 40, 4, 40, 4, 40], Forecaster.Create(C("repeat"), new Rng(1)).Forward(x).Data);
        Assert.Equal([3f, 30, 4, 40, 3, 30], Forecaster.Create(C("seasonal"), new Rng(1)).Forward(x).Data);
        Assert.False(Forecaster.Create(C("repeat"), new Rng(1)).Trainable);
    }

    [Fact]
    public void DLinearTrendIsAReplicatePaddedMovingAverage()
    {
        const int l = 7, k = 5;
        var rng = new Rng(3);
        var x = Enumerable.Range(0, l).Select(_ => rng.Normal()).ToArray();
        var a = LinearForecaster.MovingAverageMatrix(l, k);
        var padded = Enumerable.Repeat(x[0], 2).Concat(x).Concat(Enumerable.Repeat(x[^1], 2)).ToArray();
        for (int t = 0; t < l; t++)
        {
            float expected = padded.Skip(t).Take(k).Sum() / k;
            float got = 0;
            for (int s = 0; s < l; s++) got += a.Data[t * l + s] * x[s];
            Assert.Equal(expected, got, 1e-5f);
        }
    }

    [Fact]
    public void AnEnsembleAveragesItsMembersEachOnItsOwnLookBack()
    {
        // two windows, L = 4, C = 2; "repeat" reads all 4 rows (only the last matters), "mean" reads the last 2
        var x = new Tensor([1, 10, 2, 20, 3, 30, 4, 40, /**/ 5, 0, 6, 0, 7, 0, 9, 8], new Shape(2, 4, 2));
        var repeat = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = 2, Lookback = 4, Horizon = 2 }, new Rng(1));
        var mean = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Mean, Channels = 2, Lookback = 2, Horizon = 2 }, new Rng(1));
        var ensemble = new EnsembleForecaster([mean, repeat]);
        Assert.Equal(4, ensemble.Config.Lookback);
        // window 0: repeat (4, 40), mean of rows 3-4 (3.5, 35) → (3.75, 37.5); window 1: (9, 8) and (8, 4) → (8.5, 6)
        Assert.Equal([3.75f, 37.5f, 3.75f, 37.5f, 8.5f, 6f, 8.5f, 6f], ensemble.Forward(x).Data);
        Assert.Equal(repeat.Forward(x).Data, new EnsembleForecaster([repeat]).Forward(x).Data);
        var longer = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = 2, Lookback = 4, Horizon = 3 }, new Rng(1));
        Assert.Contains("horizon", Assert.Throws<ArgumentException>(() => new EnsembleForecaster([repeat, longer])).Message);
        Assert.Throws<ArgumentException>(() => new EnsembleForecaster([]));
    }

    [Fact]
    public void RevInDenormalizeInvertsNormalize()
    {
        var rng = new Rng(4);
        var revin = new RevIn(3);
        revin.Parameters()[0].Data.AsSpan().Fill(1.7f);
        revin.Parameters()[1].Data.AsSpan().Fill(-0.3f);
        var x = Tensor.Normal(rng, 5f, 3f, 2, 9, 3);
        var (z, stats) = revin.Normalize(x);
        var back = revin.Denormalize(z, stats);
        for (int i = 0; i < x.Size; i++) Assert.Equal(x.Data[i], back.Data[i], 1e-3f);
    }

    [Fact]
    public void RevInSubtractLastCentresOnTheLastStepAndInverts()
    {
        var rng = new Rng(6);
        var revin = new RevIn(3, subtractLast: true);
        var x = Tensor.Normal(rng, 5f, 3f, 2, 9, 3); // (B, T, C)
        var (z, stats) = revin.Normalize(x);
        var plain = new RevIn(3).Normalize(x).Stats;
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(0f, z.Data[(b * 9 + 8) * 3 + c], 1e-6f);                       // the last step maps to 0
                Assert.Equal(x.Data[(b * 9 + 8) * 3 + c], stats.Mean.Data[b * 3 + c]);     // centre = last value
                Assert.Equal(plain.Std.Data[b * 3 + c], stats.Std.Data[b * 3 + c]);        // scale = std around the mean
            }
        var back = revin.Denormalize(z, stats);
        for (int i = 0; i < x.Size; i++) Assert.Equal(x.Data[i], back.Data[i], 1e-3f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RevInGradientsMatchFiniteDifferences(bool subtractLast)
    {
        var rng = new Rng(5);
        var revin = new RevIn(3, subtractLast: subtractLast);
        var ps = revin.Parameters();
        ps[0].Data.AsSpan().Fill(1.3f);
        ps[1].Data.AsSpan().Fill(0.2f);
        var x = Tensor.Normal(rng, 1f, 2f, 2, 5, 3);
        var y = Tensor.Normal(rng, 0f, 1f, 2, 4, 3);
        GradCheck.Check(subtractLast ? "revin subtract-last" : "revin", t =>
        {
            var (z, stats) = revin.Normalize(x);
            return revin.Denormalize(Ops.Mul(Ops.Add(Ops.Slice(z, 1, 1, 4), t[2]), Ops.Slice(z, 1, 0, 4)), stats);
        }, [ps[0], ps[1], y.WithGrad()], rtol: 3e-2, atol: 5e-3);
    }

    private static ForecasterConfig Patch(int channels = 3) => new()
    {
        Kind = ForecasterKind.Patchtst, Channels = channels, Lookback = 20, Horizon = 6, PatchLength = 6, Stride = 3, DModel = 8, NumHeads = 2,
        NumLayers = 2, DimFeedforward = 16, Dropout = 0f,
    };

    [Fact]
    public void PatchTransformerTreatsChannelsIndependently()
    {
        var model = Forecaster.Create(Patch(), new Rng(6));
        model.Eval();
        using var _ = GradMode.Off();
        var rng = new Rng(7);
        var x = Tensor.Normal(rng, 0f, 1f, 2, 20, 3);
        var y = model.Forward(x);
        Assert.Equal(new Shape(2, 6, 3), y.Shape);
        var changed = x.Data.ToArray();
        for (int i = 1; i < changed.Length; i += 3) changed[i] += 5f * rng.Normal(); // channel 1 only
        var y2 = model.Forward(new Tensor(changed, x.Shape));
        for (int i = 0; i < y.Size; i++)
        {
            if (i % 3 == 1) continue;
            Assert.Equal(y.Data[i], y2.Data[i], 1e-5f);
        }
        Assert.Contains(Enumerable.Range(0, y.Size).Where(i => i % 3 == 1), i => Math.Abs(y.Data[i] - y2.Data[i]) > 1e-3);
        Assert.Equal(6, Patch().PatchCount); // ⌊(20 − 6)/3⌋ + 2
    }

    [Fact]
    public void PatchTransformerGradientsMatchFiniteDifferences()
    {
        var model = Forecaster.Create(Patch(2), new Rng(8));
        var x = Tensor.Normal(new Rng(9), 0f, 1f, 2, 20, 2);
        var named = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        var picks = new[] { "W_P.weight", "W_pos.weight", "layers.0.self_attn.in_proj_weight", "layers.1.linear1.weight", "head.weight", "revin.affine_weight" };
        GradCheck.Check("patchtst", _ => model.Forward(x), picks.Select(n => named[n]).ToArray(), h: 1e-2f, rtol: 5e-2, atol: 5e-3, samplesPerInput: 8);
    }

    private static ForecasterConfig PatchTstLayers(int channels = 2) => Patch(channels) with { Norm = PatchNorm.Batch, ResidualAttention = true };

    [Fact]
    public void PatchTstLayersGradientsMatchFiniteDifferences()
    {
        var model = Forecaster.Create(PatchTstLayers(), new Rng(8));
        var x = Tensor.Normal(new Rng(9), 0f, 1f, 2, 20, 2);
        var named = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        var picks = new[] { "W_P.weight", "layers.0.self_attn.in_proj_weight", "layers.0.norm1.weight", "layers.1.norm2.bias", "layers.1.linear1.weight", "head.weight" };
        GradCheck.Check("patchtst layers", _ => model.Forward(x), picks.Select(n => named[n]).ToArray(), h: 1e-2f, rtol: 5e-2, atol: 5e-3, samplesPerInput: 8);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ResidualAttentionAddsThePreviousLayersScores(bool residual)
    {
        var layer = new PatchTstEncoderLayer(8, 2, 16, 0.3f, 0.2f, batchNorm: true, residualAttention: residual, new Rng(3));
        layer.Eval();
        using var _ = GradMode.Off();
        var x = Tensor.Normal(new Rng(4), 0f, 1f, 3, 5, 8);
        var previous = Tensor.Normal(new Rng(5), 0f, 1f, 3, 2, 5, 5);
        var (alone, scoresAlone) = layer.Forward(x, null);
        var (carried, scoresCarried) = layer.Forward(x, previous);
        for (int i = 0; i < previous.Size; i++)
            Assert.Equal(scoresAlone.Data[i] + (residual ? previous.Data[i] : 0f), scoresCarried.Data[i], 5);
        Assert.Equal(!residual, alone.Data.AsSpan().SequenceEqual(carried.Data));
    }

    [Fact]
    public void BatchNormStatisticsAreSavedWithTheModel()
    {
        var model = Forecaster.Create(PatchTstLayers(), new Rng(10));
        model.Forward(Tensor.Normal(new Rng(11), 0f, 1f, 4, 20, 2)); // training mode: running statistics move
        model.Eval();
        var x = Tensor.Normal(new Rng(12), 0f, 1f, 2, 20, 2);
        float[] expected;
        using (GradMode.Off()) expected = model.Forward(x).Data.ToArray();
        string dir = Path.Combine(Path.GetTempPath(), "attend-patchtst-bn-" + Guid.NewGuid().ToString("N"));
        try
        {
            ModelRegistry.Save(dir, model, sections: new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["series"] = new() });
            var loaded = ModelRegistry.Load<Forecaster>(dir).Model;
            Assert.Contains(loaded.NamedBuffers(), b => b.Name == "layers.0.norm1.running_var");
            using (GradMode.Off()) Assert.Equal(expected, loaded.Forward(x).Data);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A noisy sine with period 12 in two channels (phase-shifted), 600 rows.</summary>
    internal static CsvSeriesData NoisySine(int rows = 600, ulong seed = 11)
    {
        var rng = new Rng(seed);
        var values = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            values[r * 2] = MathF.Sin(2 * MathF.PI * r / 12) + 0.1f * rng.Normal();
            values[r * 2 + 1] = 2 * MathF.Cos(2 * MathF.PI * r / 12) + 1 + 0.1f * rng.Normal();
        }
        var dates = Enumerable.Range(0, rows).Select(r => new DateTime(2020, 1, 1).AddHours(r)).ToArray();
        return new CsvSeriesData(["a", "b"], dates, values);
    }

    [Theory]
    [InlineData("patchtst")]
    [InlineData("patchtst-batch")]
    [InlineData("patchtst-huber")]
    [InlineData("patchtst-mae")]
    [InlineData("dlinear")]
    [InlineData("nlinear")]
    [InlineData("gru")]
    public void LearnsANoisySineAndBeatsRepeatingTheLastValue(string kind)
    {
        const int l = 24, h = 12;
        string loss = kind.StartsWith("patchtst-") && kind != "patchtst-batch" ? kind["patchtst-".Length..] : "mse";
        if (loss != "mse") kind = "patchtst";
        var data = ForecastData.Create(NoisySine(), ChronologicalSplit.ByRows(600, 400, 100, 100, l), l, h);
        var config = new ForecasterConfig
        {
            Kind = Enum.Parse<ForecasterKind>(kind == "patchtst-batch" ? "patchtst" : kind, ignoreCase: true), Norm = kind == "patchtst-batch" ? PatchNorm.Batch : PatchNorm.Layer,
            ResidualAttention = kind == "patchtst-batch", Channels = 2, Lookback = l, Horizon = h, PatchLength = 6, Stride = 3, DModel = 16, NumHeads = 2, NumLayers = 1,
            DimFeedforward = 32, Dropout = 0f, HiddenSize = 16,
        };
        var model = Forecaster.Create(config, new Rng(12));
        var task = new ForecastTask(model, data, new Attend.Tasks.Forecasting.ForecastDataConfig(), 32, 13, loss, huberDelta: 0.5f);
        var trainer = new Trainer(task, new Adam(model.Parameters(), 3e-3f), new ConstantSchedule(3e-3f),
            new TrainerOptions { Seed = 13, MaxEpochs = 12, ValidEvery = 1000, LogEvery = 1000, ClipNorm = 0 });
        trainer.Run(Path.Combine(Path.GetTempPath(), "attend-forecast-" + Guid.NewGuid().ToString("N")), resume: false);
        var learned = ForecastEvaluation.Evaluate(model, data, data.Test);
        var repeat = ForecastEvaluation.Evaluate(Forecaster.Create(config with { Kind = ForecasterKind.Repeat }, new Rng(1)), data, data.Test);
        Assert.True(learned.Mse < 0.5 * repeat.Mse, $"{kind}: test MSE {learned.Mse:F4}, repeat-last-value {repeat.Mse:F4}");
    }

    [Fact]
    public void TheTaskRejectsAnUnknownLossAtConstruction()
    {
        var data = ForecastData.Create(NoisySine(), ChronologicalSplit.ByRows(600, 400, 100, 100, 24), 24, 12);
        var model = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Nlinear, Channels = 2, Lookback = 24, Horizon = 12 }, new Rng(1));
        var e = Assert.Throws<ArgumentException>(() =>
            new ForecastTask(model, data, new Attend.Tasks.Forecasting.ForecastDataConfig(), 32, 13, loss: "l2"));
        Assert.Contains("l2", e.Message);
    }

    [Fact]
    public void ConfigProblemsNameTheKey()
    {
        Assert.Contains("kind", new ForecasterConfig { Kind = (ForecasterKind)99, Channels = 1 }.Problem());
        Assert.Contains("channels", new ForecasterConfig { Channels = 0 }.Problem());
        Assert.Contains("patch_len", (Patch() with { PatchLength = 30 }).Problem());
        Assert.Contains("moving_avg", new ForecasterConfig { Kind = ForecasterKind.Dlinear, Channels = 1, MovingAverage = 4 }.Problem());
        Assert.Contains("period", new ForecasterConfig { Kind = ForecasterKind.Seasonal, Channels = 1, Lookback = 10, Period = 11 }.Problem());
        Assert.Contains("norm_first", (Patch() with { Norm = PatchNorm.Batch, NormFirst = true }).Problem());
        Assert.Contains("optim.loss", new Attend.Tasks.Forecasting.ForecastOptimConfig { Loss = "l2" }.Problem());
        Assert.Contains("optim.huber_delta", new Attend.Tasks.Forecasting.ForecastOptimConfig { Loss = "huber", HuberDelta = 0 }.Problem());
        Assert.Throws<ArgumentException>(() => Forecaster.Create(Patch() with { NumHeads = 3 }, new Rng(1)));
    }
}
