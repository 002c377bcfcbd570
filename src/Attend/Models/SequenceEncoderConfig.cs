// Hyperparameters of the token encoder that classifiers and taggers share (config.json key names). A Transformer
// encoder (nn.TransformerEncoderLayer stack over embeddings plus learned or sinusoidal positions) or a bidirectional
// LSTM/GRU over embeddings; either may append character features to each word vector (a BiLSTM over the word's
// characters, as Plank et al. 2016 and Lample et al. 2016 build them).
using System.Text.Json.Serialization;
using Attend.Nn;
using Attend.Text;

namespace Attend.Models;

/// <summary>The token encoder's family (configs: "transformer", "lstm", "gru").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum EncoderKind
{
    Transformer,

    /// <summary>A bidirectional LSTM.</summary>
    Lstm,

    /// <summary>A bidirectional GRU.</summary>
    Gru,
}

/// <summary>The token encoder: ids (B, T) → states (B, T, <see cref="OutputWidth"/>).</summary>
public sealed record SequenceEncoderConfig
{
    [JsonPropertyName("kind")] public EncoderKind Kind { get; init; } = EncoderKind.Transformer;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    /// <summary>Width of the word embedding.</summary>
    [JsonPropertyName("embed_dim")] public int EmbedDim { get; init; } = 128;
    [JsonPropertyName("nhead")] public int NumHeads { get; init; } = 4;
    /// <summary>Width of each attention head (0 = width / nhead, as PyTorch; Keras's key_dim may be larger).</summary>
    [JsonPropertyName("head_dim")] public int HeadDim { get; init; }
    /// <summary>LayerNorm epsilon of the Transformer layers (PyTorch 1e-5, Keras 1e-3).</summary>
    [JsonPropertyName("layer_norm_eps")] public float LayerNormEps { get; init; } = 1e-5f;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 1;
    /// <summary>Transformer feed-forward width (0 = 4 · model width).</summary>
    [JsonPropertyName("dim_feedforward")] public int DimFeedforward { get; init; }
    /// <summary>Dropout on the embeddings and inside the layers.</summary>
    [JsonPropertyName("dropout")] public float Dropout { get; init; } = 0.1f;
    /// <summary>Dropout on the attention weights (null = dropout, as PyTorch's layers; Keras's layers use none).</summary>
    [JsonPropertyName("attn_dropout")] public float? AttentionDropout { get; init; }
    /// <summary>Transformer only.</summary>
    [JsonPropertyName("positions")] public PositionKind Positions { get; init; } = PositionKind.Learned;
    /// <summary>Longest input the positional table covers (Transformer only).</summary>
    [JsonPropertyName("max_length")] public int MaxLength { get; init; } = 512;
    [JsonPropertyName("norm_first")] public bool NormFirst { get; init; }
    /// <summary>Transformer feed-forward.</summary>
    [JsonPropertyName("activation")] public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>Hidden size per direction (LSTM/GRU only).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 128;
    /// <summary>
    /// Hashed bigram vectors added to each word vector (fastText's bigram features; 0 = none): the pair (previous word,
    /// word) picks one of this many rows.
    /// </summary>
    [JsonPropertyName("bigram_buckets")] public int BigramBuckets { get; init; }
    /// <summary>Characters known to the character features (0 = no character features).</summary>
    [JsonPropertyName("char_vocab_size")] public int CharVocabSize { get; init; }
    [JsonPropertyName("char_dim")] public int CharDim { get; init; } = 32;
    /// <summary>Hidden size per direction of the character BiLSTM; a word gets 2 · char_hidden features.</summary>
    [JsonPropertyName("char_hidden")] public int CharHidden { get; init; } = 32;

    /// <summary>Whether words get character features.</summary>
    [JsonIgnore] public bool UsesCharacters => CharVocabSize > 0;

    /// <summary>Width of a token vector entering the encoder: word embedding plus character features.</summary>
    [JsonIgnore] public int InputWidth => EmbedDim + (UsesCharacters ? 2 * CharHidden : 0);

    /// <summary>Width of the encoder's output states.</summary>
    [JsonIgnore] public int OutputWidth => Kind == EncoderKind.Transformer ? InputWidth : 2 * HiddenSize;

    /// <summary>The Transformer feed-forward width in use.</summary>
    [JsonIgnore] public int FeedforwardWidth => DimFeedforward > 0 ? DimFeedforward : 4 * InputWidth;

    /// <summary>The first problem, naming its key, or null.</summary>
    public string? Problem() =>
        VocabSize <= 4 ? $"vocab_size: expected more than the 4 special tokens, got {VocabSize}"
        : EmbedDim < 1 ? $"embed_dim: expected at least 1, got {EmbedDim}"
        : NumLayers < 1 ? $"num_layers: expected at least 1, got {NumLayers}"
        : Dropout is < 0 or >= 1 ? $"dropout: expected [0, 1), got {Dropout}"
        : AttentionDropout is < 0 or >= 1 ? $"attn_dropout: expected [0, 1), got {AttentionDropout}"
        : BigramBuckets < 0 ? $"bigram_buckets: expected 0 (no bigram vectors) or more, got {BigramBuckets}"
        : CharVocabSize < 0 ? $"char_vocab_size: expected 0 (no character features) or more, got {CharVocabSize}"
        : UsesCharacters && (CharDim < 1 || CharHidden < 1) ? $"char_dim and char_hidden: expected at least 1, got {CharDim} and {CharHidden}"
        : Kind == EncoderKind.Transformer ? TransformerProblem()
        : HiddenSize < 1 ? $"hidden_size: expected at least 1, got {HiddenSize}"
        : null;

    private string? TransformerProblem() =>
        NumHeads < 1 ? $"nhead: expected at least 1, got {NumHeads}"
        : HeadDim < 0 ? $"head_dim: expected 0 (width / nhead) or more, got {HeadDim}"
        : HeadDim == 0 && InputWidth % NumHeads != 0 ? $"nhead: the token width {InputWidth} (embed_dim + 2 · char_hidden) must be a multiple of nhead ({NumHeads}), or give head_dim"
        : LayerNormEps <= 0 ? $"layer_norm_eps: expected a positive number, got {LayerNormEps}"
        : DimFeedforward < 0 ? $"dim_feedforward: expected 0 (4 · width) or more, got {DimFeedforward}"
        : Positions == PositionKind.Sinusoidal && InputWidth % 2 != 0 ? $"positions: sinusoidal positions need an even width, got {InputWidth}"
        : MaxLength < 1 ? $"max_length: expected at least 1, got {MaxLength}"
        : null;
}
