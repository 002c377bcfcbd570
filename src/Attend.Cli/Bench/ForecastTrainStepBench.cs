// `attend bench train-step --case patchtst`: one training update of the ETTh1 patch Transformer of configs/etth1.json
// (PatchTST/64: look-back 512, horizon 96, 7 series, 64 patches of 16 every 8, width 16, 4 heads, 3 layers,
// feed-forward 128, dropout 0.3, RevIN, batch norm, residual attention) on a batch of 128 random windows: forward, MSE
// loss, backward and an Adam step. ../shared/peers has no forecasting case, so no peer figure stands beside it; the
// "tokens" are the B·C·N patch tokens the encoder sees per update.
using Attend.Autograd;
using Attend.Models;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Cli.Bench;

/// <summary>Patch Transformer forecaster training throughput (no peer figure).</summary>
public static class ForecastTrainStepBench
{
    public const string Case = "patchtst";
    private const int Batch = 128, Channels = 7;

    public static TrainStepResult Run(int threads, double minSeconds)
    {
        var config = new ForecasterConfig
        {
            Kind = ForecasterKind.Patchtst, Channels = Channels, Lookback = 512, Horizon = 96, RevIn = true, PatchLength = 16, Stride = 8,
            DModel = 16, NumHeads = 4, NumLayers = 3, DimFeedforward = 128, Dropout = 0.3f, Norm = PatchNorm.Batch, ResidualAttention = true,
        };
        var model = Forecaster.Create(config, new Rng(1));
        model.Train();
        var rng = new Rng(2);
        var x = new Tensor(Enumerable.Range(0, Batch * config.Lookback * Channels).Select(_ => rng.Normal()).ToArray(), new Shape(Batch, config.Lookback, Channels));
        var y = new Tensor(Enumerable.Range(0, Batch * config.Horizon * Channels).Select(_ => rng.Normal()).ToArray(), new Shape(Batch, config.Horizon, Channels));
        var optimizer = new Adam(model.Parameters(), 1e-4f);
        var (t, losses) = Measure.TrainSteps(optimizer, () => Ops.MseLoss(model.Forward(x), y), minSeconds);
        double tokens = Batch * Channels * config.PatchCount;
        return TrainStepResult.From("patchtst_etth1_train_step", threads, t, tokens, losses);
    }
}
