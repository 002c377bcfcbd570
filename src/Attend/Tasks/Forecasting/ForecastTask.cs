// Forecasting as an ITrainingTask: an epoch is every training window once, shuffled by (seed, epoch), cut into
// batches of B windows with the trailing incomplete batch dropped (the benchmark's training loader); the loss is the
// MSE (or MAE, or Huber) over the batch's B·H·C values on the standardised scale; validation is the MSE over every validation window,
// and the best model is the one with the lowest.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Training;

namespace Attend.Tasks.Forecasting;

/// <summary>Training a <see cref="Forecaster"/> on a <see cref="ForecastData"/>.</summary>
public sealed class ForecastTask(Forecaster model, ForecastData data, ForecastDataConfig dataConfig, int batchSize, int seed,
    string loss = "mse", float huberDelta = 1f) : ITrainingTask
{
    // Bound once: an unknown name fails here, not silently as MSE at the first batch.
    private readonly Func<Tensor, Tensor, Tensor> _loss = loss switch
    {
        "mse" => Ops.MseLoss,
        "mae" => Ops.L1Loss,
        "huber" => (p, y) => Ops.HuberLoss(p, y, huberDelta),
        _ => throw new ArgumentException($"forecast loss: expected mse, mae or huber, got \"{loss}\"", nameof(loss)),
    };

    public Module Model => model;

    /// <summary>Updates per epoch.</summary>
    public int BatchesPerEpoch => Math.Max(1, data.Train.Count / batchSize);

    public IReadOnlyList<Batch> Batches(int epoch)
    {
        var order = (int[])data.Train.Starts.Clone();
        new Rng(Rng.Derive((ulong)seed, epoch)).Shuffle(order.AsSpan());
        int size = Math.Min(batchSize, order.Length);
        return Enumerable.Range(0, order.Length / size).Select(i => new Batch(order[(i * size)..((i + 1) * size)], data.Lookback, data.Horizon)).ToArray();
    }

    public (Tensor Loss, int Tokens) Loss(Batch batch)
    {
        var (x, y) = data.Batch(batch.Indices);
        return (_loss(model.Forward(x), y), y.Size);
    }

    public Validation Validate()
    {
        var scores = ForecastEvaluation.Evaluate(model, data, data.Valid);
        model.Train();
        return new Validation(scores.Mse, new Dictionary<string, double> { ["mae"] = scores.Mae }, -scores.Mse);
    }

    public void Export(string directory) => ForecastModel.Save(directory, model, data, dataConfig);
}
