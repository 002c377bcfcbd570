// Hyperparameters of the RNN encoder-decoder with attention (config.json keys in snake_case).
using System.Text.Json.Serialization;
using Attend.Nn;
using Attend.Text;

namespace Attend.Models;

/// <summary>How the RNN decoder scores the encoder states (configs: "bahdanau", "dot", "general").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum RnnAttention
{
    /// <summary>Additive, over the previous decoder state (Bahdanau et al. 2015).</summary>
    Bahdanau,

    /// <summary>Luong's dot product, over the new state, with input feeding.</summary>
    Dot,

    /// <summary>Luong's bilinear qᵀWh, over the new state, with input feeding.</summary>
    General,

    /// <summary>Content-based: β·cos(q, h) with a learned sharpness β (Graves et al. 2014), Luong-style.</summary>
    Cosine,

    /// <summary>Luong's location-based: softmax(W_a q) over the source positions, from the state alone.</summary>
    Location,
}

/// <summary>The RNN translator's configuration: cell, sizes, attention form and special ids.</summary>
public sealed record RnnSeq2SeqConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    /// <summary>gru or lstm, for the encoder and the decoder.</summary>
    [JsonPropertyName("cell")] public CellType Cell { get; init; } = CellType.Gru;
    [JsonPropertyName("embedding_dim")] public int EmbeddingDim { get; init; } = 256;
    /// <summary>Hidden size of each encoder direction (the encoder is bidirectional: its outputs are twice as wide).</summary>
    [JsonPropertyName("encoder_hidden")] public int EncoderHidden { get; init; } = 256;
    [JsonPropertyName("encoder_layers")] public int EncoderLayers { get; init; } = 1;
    [JsonPropertyName("decoder_hidden")] public int DecoderHidden { get; init; } = 512;
    [JsonPropertyName("attention")] public RnnAttention Attention { get; init; } = RnnAttention.Bahdanau;
    /// <summary>Width of the additive attention's hidden layer (Bahdanau only).</summary>
    [JsonPropertyName("attention_dim")] public int AttentionDim { get; init; } = 256;
    /// <summary>Longest source the location attention covers (its W_a has one row per position; location only).</summary>
    [JsonPropertyName("max_source_length")] public int MaxSourceLength { get; init; } = 128;
    [JsonPropertyName("dropout")] public float Dropout { get; init; } = 0.3f;
    [JsonPropertyName("pad_id")] public int PadId { get; init; }
    [JsonPropertyName("bos_id")] public int BosId { get; init; } = 2;
    [JsonPropertyName("eos_id")] public int EosId { get; init; } = 3;

    /// <summary>Whether the decoder attends Luong-style (after its step, with input feeding).</summary>
    [JsonIgnore] public bool IsLuong => Attention != RnnAttention.Bahdanau;

    /// <summary>Checks the sizes agree; returns the first problem or null.</summary>
    public string? Problem() =>
        VocabSize <= 0 ? "vocab_size must be positive"
        : Cell is not (CellType.Gru or CellType.Lstm) ? $"cell must be gru or lstm, got {SnakeCaseEnums.Name(Cell)}"
        : EmbeddingDim <= 0 || EncoderHidden <= 0 || DecoderHidden <= 0 ? "embedding_dim, encoder_hidden and decoder_hidden must be positive"
        : EncoderLayers < 1 ? $"encoder_layers must be at least 1, got {EncoderLayers}"
        : Attention == RnnAttention.Bahdanau && AttentionDim <= 0 ? "attention_dim must be positive"
        : Attention is RnnAttention.Dot or RnnAttention.Cosine && DecoderHidden != 2 * EncoderHidden ? $"{SnakeCaseEnums.Name(Attention)} attention needs decoder_hidden = 2·encoder_hidden (the bidirectional outputs' width), got {DecoderHidden} and 2·{EncoderHidden}; use \"general\" for different widths"
        : Attention == RnnAttention.Location && MaxSourceLength < 1 ? $"max_source_length must be positive, got {MaxSourceLength}"
        : Dropout is < 0f or >= 1f ? $"dropout must be in [0, 1), got {Dropout}"
        : new[] { PadId, BosId, EosId }.Any(id => id < 0 || id >= VocabSize) ? "pad_id, bos_id and eos_id must be inside the vocabulary"
        : null;
}
