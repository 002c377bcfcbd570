// nn.BatchNorm1d applied to the last axis: every feature is normalised over all other positions of the batch.
// PatchTST wraps BatchNorm1d(d) in two transposes to normalise (B·C, N, d) tokens per feature; this module takes the
// (..., d) tensor directly. Training uses the batch's mean and biased variance and updates the running statistics
// with momentum (running_var from the unbiased variance, as PyTorch does); evaluation uses the running statistics.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Batch normalisation over the last axis. x: (..., d) → (..., d).</summary>
public sealed class BatchNorm : Module
{
    public BatchNorm(int features, float eps = 1e-5f, float momentum = 0.1f)
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "batch norm needs at least one feature");
        Features = features;
        Eps = eps;
        Momentum = momentum;
        Weight = Parameter("weight", Tensor.Ones(features));
        Bias = Parameter("bias", Tensor.Zeros(features));
        RunningMean = Buffer("running_mean", Tensor.Zeros(features));
        RunningVar = Buffer("running_var", Tensor.Ones(features));
    }

    public int Features { get; }
    public float Eps { get; }
    public float Momentum { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    public Tensor Forward(Tensor x)
    {
        int d = Features;
        if (x.Shape[-1] != d) throw new ArgumentException($"batch norm over {d} features got input {x.Shape}");
        int rows = x.Size / d;
        var flat = Ops.Reshape(x, rows, d);                                           // (R, d)
        Tensor normalized;
        if (Training)
        {
            if (rows < 2) throw new ArgumentException($"batch norm in training needs more than one value per feature, got input {x.Shape}");
            var mean = Ops.Mean(flat, 0, keepDim: true);                              // (1, d)
            var centered = Ops.Sub(flat, mean);                                       // (R, d)
            var variance = Ops.Mean(Ops.Mul(centered, centered), 0, keepDim: true);   // (1, d), biased
            normalized = Ops.Div(centered, Ops.Sqrt(Ops.AddScalar(variance, Eps)));
            UpdateRunningStatistics(mean.Data, variance.Data, rows);
        }
        else
        {
            var scale = new float[d];
            var shift = new float[d];
            for (int j = 0; j < d; j++)
            {
                scale[j] = 1f / MathF.Sqrt(RunningVar.Data[j] + Eps);
                shift[j] = -RunningMean.Data[j] * scale[j];
            }
            normalized = Ops.Add(Ops.Mul(flat, new Tensor(scale, new Shape(1, d))), new Tensor(shift, new Shape(1, d)));
        }
        return Ops.Reshape(Ops.Add(Ops.Mul(normalized, Weight), Bias), x.Shape.ToArray());
    }

    private void UpdateRunningStatistics(float[] mean, float[] biasedVariance, int rows)
    {
        float m = Momentum, unbias = rows / (rows - 1f);
        for (int j = 0; j < Features; j++)
        {
            RunningMean.Data[j] = (1 - m) * RunningMean.Data[j] + m * mean[j];
            RunningVar.Data[j] = (1 - m) * RunningVar.Data[j] + m * biasedVariance[j] * unbias;
        }
    }
}
