// A recurrent encoder forecaster (the lecture notes' sequence-to-vector RNN): an LSTM or GRU reads the
// (instance-normalised) window step by step, and a linear head maps the last layer's final state to all H·C future
// values at once (direct multi-step forecasting, no autoregressive feedback).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>lstm | gru. x: (B, L, C) → (B, H, C).</summary>
public sealed class RecurrentForecaster : Forecaster
{
    public RecurrentForecaster(ForecasterConfig config, Rng rng) : base(config)
    {
        if (config.Kind is not (ForecasterKind.Lstm or ForecasterKind.Gru)) throw new ArgumentException($"not a recurrent forecaster: {config.Kind}");
        if (config.RevIn) RevIn = Child("revin", new RevIn(config.Channels, subtractLast: config.RevInSubtractLast));
        Rnn = Child("rnn", new Recurrent(config.Kind == ForecasterKind.Lstm ? CellType.Lstm : CellType.Gru, config.Channels, config.HiddenSize, rng, config.RnnLayers));
        Head = Child("head", new Linear(config.HiddenSize, config.Horizon * config.Channels, rng));
    }

    public RevIn? RevIn { get; }
    public Recurrent Rnn { get; }
    public Linear Head { get; }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        int b = x.Shape[0];
        InstanceStats? stats = null;
        if (RevIn is not null) (x, stats) = RevIn.Normalize(x);
        var hN = Rnn.Forward(x).HiddenN;                                                      // (layers, B, hidden)
        var last = Ops.Reshape(Ops.Slice(hN, 0, Config.RnnLayers - 1, 1), b, Config.HiddenSize); // (B, hidden)
        var y = Ops.Reshape(Head.Forward(last), b, Config.Horizon, Config.Channels);          // (B, H, C)
        return stats is null ? y : RevIn!.Denormalize(y, stats);
    }
}
