// A channel-independent patch Transformer (PatchTST, Nie et al. 2023, "A Time Series is Worth 64 Words"): each of the
// C series of a window is instance-normalised (RevIN), padded at the end by S copies of its last value, cut into
// N = ⌊(L − P)/S⌋ + 2 overlapping patches of P steps, and each patch becomes a token: Linear(P, d) + positions. A
// Transformer encoder runs over the N tokens of every series separately (batch B·C, weights shared across series), and
// a flatten head maps the N·d features to the H future steps. The encoder layers are either our
// nn.TransformerEncoderLayer (layer norm, GELU) or, with norm "batch" or residual_attention, PatchTST's own layers
// (PatchTstEncoderLayer: batch norm, attention scores carried from layer to layer).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Patch Transformer forecaster. x: (B, L, C) → (B, H, C).</summary>
public sealed class PatchTstForecaster : Forecaster
{
    private readonly int[] _patchIndex; // (N·P): source step of each patch element, the padded end clamped to L − 1

    public PatchTstForecaster(ForecasterConfig config, Rng rng) : base(config)
    {
        if (config.Kind != ForecasterKind.Patchtst) throw new ArgumentException($"not a patch Transformer: {config.Kind}");
        int n = config.PatchCount, p = config.PatchLength;
        _patchIndex = new int[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) _patchIndex[i * p + j] = Math.Min(i * config.Stride + j, config.Lookback - 1);
        if (config.RevIn) RevIn = Child("revin", new RevIn(config.Channels, subtractLast: config.RevInSubtractLast));
        PatchEmbedding = Child("W_P", new Linear(p, config.DModel, rng));
        Positions = Child("W_pos", new PositionalEncoding(n, config.DModel, config.Positions == PositionKind.Learned, rng));
        Drop = Child("dropout", new Dropout(config.Dropout, rng.Fork()));
        var options = new TransformerLayerOptions(config.DModel, config.NumHeads, config.DimFeedforward, config.Dropout,
            Activation.Gelu, NormFirst: config.NormFirst, AttentionDropout: config.AttentionDropout);
        var list = Child("layers", new ModuleList());
        if (config.UsesPatchTstLayers)
        {
            Layers = [];
            PatchLayers = Enumerable.Range(0, config.NumLayers).Select(_ => list.Add(new PatchTstEncoderLayer(config.DModel,
                config.NumHeads, config.DimFeedforward, config.Dropout, config.AttentionDropout, config.Norm == PatchNorm.Batch,
                config.ResidualAttention, rng))).ToArray();
        }
        else
        {
            Layers = Enumerable.Range(0, config.NumLayers).Select(_ => list.Add(new TransformerEncoderLayer(options, rng))).ToArray();
            PatchLayers = [];
        }
        HeadDrop = Child("head_dropout", new Dropout(config.HeadDropout, rng.Fork()));
        Head = Child("head", new Linear(n * config.DModel, config.Horizon, rng));
    }

    public RevIn? RevIn { get; }
    public Linear PatchEmbedding { get; }
    public PositionalEncoding Positions { get; }
    /// <summary>The encoder layers when they are nn.TransformerEncoderLayer (empty otherwise).</summary>
    public TransformerEncoderLayer[] Layers { get; }
    /// <summary>The encoder layers when they are PatchTST's own (empty otherwise).</summary>
    public PatchTstEncoderLayer[] PatchLayers { get; }
    public Linear Head { get; }
    private Dropout Drop { get; }
    private Dropout HeadDrop { get; }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        int b = x.Shape[0], c = Config.Channels, l = Config.Lookback, n = Config.PatchCount, d = Config.DModel;
        InstanceStats? stats = null;
        if (RevIn is not null) (x, stats) = RevIn.Normalize(x);
        var series = Ops.Reshape(Ops.Permute(x, 0, 2, 1), b * c, l);               // (B·C, L)
        var patches = Ops.Reshape(Ops.IndexSelect(series, 1, _patchIndex), b * c, n, Config.PatchLength); // (B·C, N, P)
        var z = Drop.Forward(Positions.Forward(PatchEmbedding.Forward(patches)));  // (B·C, N, d)
        foreach (var layer in Layers) z = layer.Forward(z);
        Tensor? scores = null;                                                      // (B·C, H, N, N)
        foreach (var layer in PatchLayers) (z, scores) = layer.Forward(z, scores);
        var flat = HeadDrop.Forward(Ops.Reshape(z, b * c, n * d));                  // (B·C, N·d)
        var y = Ops.Permute(Ops.Reshape(Head.Forward(flat), b, c, Config.Horizon), 0, 2, 1); // (B, H, C)
        return stats is null ? y : RevIn!.Denormalize(y, stats);
    }
}
