// Hyperparameters of every forecaster family, with the config.json key names of a "forecaster" model directory.
// kind picks the family: naive baselines (mean, repeat, seasonal), linear models on the window (linear, nlinear,
// dlinear — Zeng et al. 2023), a patch Transformer (patchtst — Nie et al. 2023) and recurrent encoders (lstm, gru).
using System.Text.Json.Serialization;
using Attend.Text;

namespace Attend.Models;

/// <summary>A forecaster family (config.json and run configs spell it in snake_case: "dlinear", "patchtst").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum ForecasterKind
{
    Mean,
    Repeat,
    Seasonal,
    Linear,
    Nlinear,
    Dlinear,
    Patchtst,
    Lstm,
    Gru,
}

/// <summary>The normalisation of PatchTST's layers (configs: "layer", "batch").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum PatchNorm
{
    /// <summary>LayerNorm, as nn.TransformerEncoderLayer.</summary>
    Layer,

    /// <summary>PatchTST's BatchNorm over the d features of all tokens.</summary>
    Batch,
}

/// <summary>What a forecaster sees and predicts, and its family's sizes.</summary>
public sealed record ForecasterConfig
{
    /// <summary>mean | repeat | seasonal | linear | nlinear | dlinear | patchtst | lstm | gru.</summary>
    [JsonPropertyName("kind")] public ForecasterKind Kind { get; init; } = ForecasterKind.Patchtst;
    /// <summary>Series per row (C): 7 for multivariate ETT, 1 for univariate (a run config leaves it 0: from the data).</summary>
    [JsonPropertyName("channels")] public int Channels { get; init; }
    /// <summary>Look-back window (L).</summary>
    [JsonPropertyName("lookback")] public int Lookback { get; init; } = 336;
    /// <summary>Steps predicted (H).</summary>
    [JsonPropertyName("horizon")] public int Horizon { get; init; } = 96;
    /// <summary>Reversible instance normalisation around the trainable families.</summary>
    [JsonPropertyName("revin")] public bool RevIn { get; init; } = true;
    /// <summary>RevIN centres each series on its last value instead of its mean (PatchTST's subtract_last).</summary>
    [JsonPropertyName("revin_subtract_last")] public bool RevInSubtractLast { get; init; }

    /// <summary>seasonal: the period repeated (24 = daily for hourly data).</summary>
    [JsonPropertyName("period")] public int Period { get; init; } = 24;
    /// <summary>dlinear: moving-average kernel of the trend.</summary>
    [JsonPropertyName("moving_avg")] public int MovingAverage { get; init; } = 25;

    [JsonPropertyName("patch_len")] public int PatchLength { get; init; } = 16;
    [JsonPropertyName("stride")] public int Stride { get; init; } = 8;
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 16;
    [JsonPropertyName("nhead")] public int NumHeads { get; init; } = 4;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 3;
    [JsonPropertyName("dim_feedforward")] public int DimFeedforward { get; init; } = 128;
    [JsonPropertyName("dropout")] public float Dropout { get; init; } = 0.3f;
    /// <summary>Dropout on the attention weights (PatchTST: 0).</summary>
    [JsonPropertyName("attn_dropout")] public float AttentionDropout { get; init; }
    /// <summary>Dropout on the flattened patch features before the head.</summary>
    [JsonPropertyName("head_dropout")] public float HeadDropout { get; init; }
    /// <summary>Learned (PatchTST) or sinusoidal.</summary>
    [JsonPropertyName("positions")] public Nn.PositionKind Positions { get; init; } = Nn.PositionKind.Learned;
    [JsonPropertyName("norm_first")] public bool NormFirst { get; init; }
    /// <summary>"layer" (nn.TransformerEncoderLayer) or "batch" (PatchTST's batch norm over the d features of all tokens).</summary>
    [JsonPropertyName("norm")] public PatchNorm Norm { get; init; } = PatchNorm.Layer;
    /// <summary>Add each layer's pre-softmax attention scores to the next layer's (PatchTST's res_attention).</summary>
    [JsonPropertyName("residual_attention")] public bool ResidualAttention { get; init; }

    /// <summary>True when the encoder needs PatchTST's own layers rather than nn.TransformerEncoderLayer.</summary>
    [JsonIgnore] public bool UsesPatchTstLayers => Norm == PatchNorm.Batch || ResidualAttention;

    /// <summary>lstm/gru: hidden units and layers.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 64;
    [JsonPropertyName("rnn_layers")] public int RnnLayers { get; init; } = 1;

    /// <summary>Families this config can name.</summary>

    /// <summary>Patch tokens per channel: ⌊(L − P) / S⌋ + 2 (the end is padded by S replicated steps, as PatchTST).</summary>
    [JsonIgnore] public int PatchCount => (Lookback - PatchLength) / Stride + 2;

    /// <summary>The first problem, naming its key, or null.</summary>
    public string? Problem() =>
        !Enum.IsDefined(Kind) ? $"kind: expected one of {string.Join(", ", SnakeCaseEnums.Names<ForecasterKind>())}, got {(int)Kind}"
        : Channels < 1 ? $"channels: expected at least 1, got {Channels}"
        : Lookback < 1 ? $"lookback: expected at least 1, got {Lookback}"
        : Horizon < 1 ? $"horizon: expected at least 1, got {Horizon}"
        : Kind == ForecasterKind.Seasonal && (Period < 1 || Period > Lookback) ? $"period: expected [1, lookback = {Lookback}], got {Period}"
        : Kind == ForecasterKind.Dlinear && (MovingAverage < 1 || MovingAverage % 2 == 0) ? $"moving_avg: expected an odd positive kernel, got {MovingAverage}"
        : Kind == ForecasterKind.Patchtst ? PatchProblem()
        : Kind is ForecasterKind.Lstm or ForecasterKind.Gru && (HiddenSize < 1 || RnnLayers < 1) ? $"hidden_size ({HiddenSize}) and rnn_layers ({RnnLayers}) must be positive"
        : null;

    private string? PatchProblem() =>
        PatchLength < 1 || PatchLength > Lookback ? $"patch_len: expected [1, lookback = {Lookback}], got {PatchLength}"
        : Stride < 1 ? $"stride: expected at least 1, got {Stride}"
        : DModel <= 0 || NumHeads <= 0 || DModel % NumHeads != 0 ? $"d_model ({DModel}) must be a positive multiple of nhead ({NumHeads})"
        : NumLayers < 1 ? $"num_layers: expected at least 1, got {NumLayers}"
        : DimFeedforward < 1 ? $"dim_feedforward: expected at least 1, got {DimFeedforward}"
        : Dropout is < 0 or >= 1 || HeadDropout is < 0 or >= 1 || AttentionDropout is < 0 or >= 1 ? "dropout, attn_dropout and head_dropout must be in [0, 1)"
        : Positions == Nn.PositionKind.Sinusoidal && DModel % 2 != 0 ? $"sinusoidal positions need an even d_model, got {DModel}"
        : UsesPatchTstLayers && NormFirst ? "norm_first: PatchTST's layers (norm \"batch\" or residual_attention) are post-norm only"
        : null;
}
