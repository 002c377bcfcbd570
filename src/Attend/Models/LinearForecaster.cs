// Linear models on the window (Zeng et al. 2023, "Are Transformers Effective for Time Series Forecasting?"): one
// Linear(L, H) along time, shared by all channels.
//   linear:  ŷ = W x + b
//   nlinear: the last value is subtracted before and added back after (handles level shifts)
//   dlinear: x = trend + seasonal with trend = moving average (kernel k, ends replicated); ŷ = W_t trend + W_s seasonal
// With revin = true the window is instance-normalised first (RLinear, Li et al. 2023).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>linear | nlinear | dlinear. x: (B, L, C) → (B, H, C).</summary>
public sealed class LinearForecaster : Forecaster
{
    private readonly Tensor? _movingAverage; // (L, L), dlinear only

    public LinearForecaster(ForecasterConfig config, Rng rng) : base(config)
    {
        if (config.Kind is not (ForecasterKind.Linear or ForecasterKind.Nlinear or ForecasterKind.Dlinear)) throw new ArgumentException($"not a linear forecaster: {config.Kind}");
        if (config.RevIn) RevIn = Child("revin", new RevIn(config.Channels, subtractLast: config.RevInSubtractLast));
        if (config.Kind == ForecasterKind.Dlinear)
        {
            Seasonal = Child("linear_seasonal", new Linear(config.Lookback, config.Horizon, rng));
            Trend = Child("linear_trend", new Linear(config.Lookback, config.Horizon, rng));
            _movingAverage = MovingAverageMatrix(config.Lookback, config.MovingAverage);
        }
        else Seasonal = Child("linear", new Linear(config.Lookback, config.Horizon, rng));
    }

    public RevIn? RevIn { get; }

    /// <summary>The map along time (dlinear: of the seasonal part).</summary>
    public Linear Seasonal { get; }

    /// <summary>dlinear: the map of the trend part.</summary>
    public Linear? Trend { get; }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        InstanceStats? stats = null;
        if (RevIn is not null) (x, stats) = RevIn.Normalize(x);
        Tensor? last = null;
        if (Config.Kind == ForecasterKind.Nlinear)
        {
            last = Ops.Slice(x, 1, Config.Lookback - 1, 1);               // (B, 1, C)
            x = Ops.Sub(x, last);
        }
        var series = Ops.Permute(x, 0, 2, 1);                              // (B, C, L)
        Tensor y;
        if (Trend is not null)
        {
            var trend = Ops.MatMul(series, _movingAverage!, transposeB: true); // (B, C, L)
            y = Ops.Add(Seasonal.Forward(Ops.Sub(series, trend)), Trend.Forward(trend)); // (B, C, H)
        }
        else y = Seasonal.Forward(series);                                 // (B, C, H)
        y = Ops.Permute(y, 0, 2, 1);                                       // (B, H, C)
        if (last is not null) y = Ops.Add(y, last);
        return stats is null ? y : RevIn!.Denormalize(y, stats);
    }

    /// <summary>
    /// A (L, L) with trend = A · x: AvgPool1d(k, stride 1) over x padded by (k − 1)/2 copies of its first and last
    /// values (DLinear's moving_avg). Row t averages x[clamp(t + j − (k−1)/2, 0, L−1)] for j in [0, k).
    /// </summary>
    public static Tensor MovingAverageMatrix(int length, int kernel)
    {
        AllocationBudget.Take([length, length]);
        var a = new float[new Shape(length, length).Size];
        int half = (kernel - 1) / 2;
        for (int t = 0; t < length; t++)
            for (int j = 0; j < kernel; j++) a[t * length + Math.Clamp(t + j - half, 0, length - 1)] += 1f / kernel;
        return new Tensor(a, new Shape(length, length));
    }
}
