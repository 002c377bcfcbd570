// The baselines every forecast must beat (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", §5.2):
// the window mean, the last value repeated (the naive method) and the last season repeated (seasonal naive:
// ŷ[L + h] = x[L − m + (h mod m)] for period m). No parameters; gradients are never needed.
using Attend.Tensors;

namespace Attend.Models;

/// <summary>mean | repeat | seasonal. x: (B, L, C) → (B, H, C).</summary>
public sealed class NaiveForecaster : Forecaster
{
    public NaiveForecaster(ForecasterConfig config) : base(config)
    {
        if (config.Kind is not (ForecasterKind.Mean or ForecasterKind.Repeat or ForecasterKind.Seasonal)) throw new ArgumentException($"not a naive forecaster: {config.Kind}");
    }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        int b = x.Shape[0], l = Config.Lookback, c = Config.Channels, h = Config.Horizon, m = Config.Period;
        var y = new float[b * h * c];
        var window = x.Data;
        for (int n = 0; n < b; n++)
        {
            int xBase = n * l * c, yBase = n * h * c;
            for (int ch = 0; ch < c; ch++)
            {
                float mean = 0;
                if (Config.Kind == ForecasterKind.Mean)
                {
                    for (int t = 0; t < l; t++) mean += window[xBase + t * c + ch];
                    mean /= l;
                }
                for (int s = 0; s < h; s++)
                {
                    y[yBase + s * c + ch] = Config.Kind switch
                    {
                        ForecasterKind.Mean => mean,
                        ForecasterKind.Repeat => window[xBase + (l - 1) * c + ch],
                        _ => window[xBase + (l - m + s % m) * c + ch],
                    };
                }
            }
        }
        return new Tensor(y, new Shape(b, h, c));
    }
}
