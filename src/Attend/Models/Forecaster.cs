// The forecaster contract — a window of L past rows of C series in, the next H rows out — and the factory that builds
// a family from its config. Every family maps (B, L, C) → (B, H, C); multivariate and univariate differ only in C.
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>A sequence-to-vector regressor over windows. x: (B, L, C) → (B, H, C).</summary>
public abstract class Forecaster : Module
{
    /// <summary>
    /// The "forecaster" model directory of every family: forecasts; its "series" section holds what inference needs of
    /// the data (Tasks' ForecastModel). The naive baselines have no parameters and are saved without weights.
    /// </summary>
    public static ModelKind<Forecaster, ForecasterConfig> Kind { get; } = new("forecaster", [ModelUse.Forecast],
        c => Create(c, new Rng(0)), m => m.Config, c => c.Problem(), _ => null, sections: ["series"], weightsOptional: true);

    protected Forecaster(ForecasterConfig config)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("forecaster config: " + problem);
        Config = config;
    }

    public ForecasterConfig Config { get; }

    /// <summary>Whether the family has parameters to train (the naive baselines do not).</summary>
    public bool Trainable => Parameters().Count > 0;

    /// <summary>x: (B, L, C) → forecast (B, H, C).</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Builds the family named by <c>config.kind</c>.</summary>
    public static Forecaster Create(ForecasterConfig config, Rng rng) => config.Kind switch
    {
        ForecasterKind.Mean or ForecasterKind.Repeat or ForecasterKind.Seasonal => new NaiveForecaster(config),
        ForecasterKind.Linear or ForecasterKind.Nlinear or ForecasterKind.Dlinear => new LinearForecaster(config, rng),
        ForecasterKind.Patchtst => new PatchTstForecaster(config, rng),
        ForecasterKind.Lstm or ForecasterKind.Gru => new RecurrentForecaster(config, rng),
        _ => throw new ArgumentException("forecaster config: " + (config.Problem() ?? $"unknown kind {config.Kind}")),
    };

    /// <summary>Checks x against the config: (B, L, C).</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.Rank != 3 || x.Shape[1] != Config.Lookback || x.Shape[2] != Config.Channels)
            throw new ArgumentException($"forecaster input must be (B, {Config.Lookback}, {Config.Channels}), got {x.Shape}");
    }
}
