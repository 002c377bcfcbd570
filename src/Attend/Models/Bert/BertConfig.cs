// Hyperparameters of a BERT-family encoder, under Hugging Face's BertConfig key names, so a config.json downloaded
// from the Hub reads as it is (keys we do not use are ignored there; Attend's own directories store only these).
// Supported: absolute positions, an encoder without cross-attention, the activations gelu (erf), gelu_new / gelu_pytorch_tanh (tanh)
// and relu. id2label names the classes of a sequence classifier.
using System.Text.Json.Serialization;
using Attend.Text;

namespace Attend.Models;

/// <summary>The feed-forward activation of a BERT layer (config.json "hidden_act").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum BertActivation
{
    /// <summary>Exact GELU, x·Φ(x) with erf.</summary>
    Gelu,

    /// <summary>GELU's tanh approximation (GPT-2's).</summary>
    GeluNew,

    /// <summary>The same tanh approximation under PyTorch's name.</summary>
    GeluPytorchTanh,
    Relu,
}

/// <summary>A BERT encoder's sizes (Hugging Face's key names).</summary>
public sealed record BertConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; } = 12;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    [JsonPropertyName("hidden_act")] public BertActivation Activation { get; init; } = BertActivation.Gelu;
    [JsonPropertyName("hidden_dropout_prob")] public float HiddenDropout { get; init; } = 0.1f;
    [JsonPropertyName("attention_probs_dropout_prob")] public float AttentionDropout { get; init; } = 0.1f;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 512;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("layer_norm_eps")] public float LayerNormEps { get; init; } = 1e-12f;
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    /// <summary>Only "absolute" is supported.</summary>
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";
    /// <summary>Dropout before a classifier head (null = hidden_dropout_prob).</summary>
    [JsonPropertyName("classifier_dropout")] public float? ClassifierDropout { get; init; }
    /// <summary>Class names by id, for a sequence classifier (Hugging Face's id2label).</summary>
    [JsonPropertyName("id2label")] public Dictionary<string, string>? Id2Label { get; init; }
    /// <summary>Whether the model has the tanh pooler over [CLS] (Hugging Face's BertModel add_pooling_layer).</summary>
    [JsonPropertyName("add_pooling_layer")] public bool AddPoolingLayer { get; init; } = true;

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadDim => NumHeads > 0 ? HiddenSize / NumHeads : 0;

    /// <summary>The class names in id order (id2label), or none.</summary>
    [JsonIgnore] public string[] Labels => Id2Label is null ? [] : [.. Enumerable.Range(0, Id2Label.Count).Select(i => Id2Label.GetValueOrDefault(i.ToString()) ?? $"LABEL_{i}")];

    /// <summary>The first problem, naming its key, or null.</summary>
    public string? Problem() =>
        VocabSize < 1 ? $"vocab_size: expected at least 1, got {VocabSize}"
        : HiddenSize < 1 ? $"hidden_size: expected at least 1, got {HiddenSize}"
        : NumLayers < 1 ? $"num_hidden_layers: expected at least 1, got {NumLayers}"
        : NumHeads < 1 || HiddenSize % NumHeads != 0 ? $"num_attention_heads: expected a divisor of hidden_size {HiddenSize}, got {NumHeads}"
        : IntermediateSize < 1 ? $"intermediate_size: expected at least 1, got {IntermediateSize}"
        : MaxPositions < 1 ? $"max_position_embeddings: expected at least 1, got {MaxPositions}"
        : TypeVocabSize < 1 ? $"type_vocab_size: expected at least 1, got {TypeVocabSize}"
        : !(LayerNormEps > 0) ? $"layer_norm_eps: expected a positive number, got {LayerNormEps}"
        : HiddenDropout is < 0 or >= 1 ? $"hidden_dropout_prob: expected [0, 1), got {HiddenDropout}"
        : AttentionDropout is < 0 or >= 1 ? $"attention_probs_dropout_prob: expected [0, 1), got {AttentionDropout}"
        : ClassifierDropout is < 0 or >= 1 ? $"classifier_dropout: expected [0, 1), got {ClassifierDropout}"
        : PositionEmbeddingType != "absolute" ? $"position_embedding_type: only \"absolute\" is supported, got \"{PositionEmbeddingType}\""
        : Id2Label is not null && Enumerable.Range(0, Id2Label.Count).Any(i => !Id2Label.ContainsKey(i.ToString())) ? "id2label: expected the ids 0 … n−1"
        : null;
}
