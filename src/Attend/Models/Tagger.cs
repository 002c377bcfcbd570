// A sequence tagger (synchronous many-to-many): one label per token from a token encoder — a BiLSTM with character
// features (Plank et al. 2016) or a Transformer encoder — followed by dropout and a linear head at every position.
using System.Text.Json.Serialization;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Hyperparameters of <see cref="Tagger"/>.</summary>
public sealed record TaggerConfig
{
    /// <summary>Tag names in id order.</summary>
    [JsonPropertyName("labels")] public string[] Labels { get; init; } = [];
    [JsonPropertyName("encoder")] public SequenceEncoderConfig Encoder { get; init; } = new();

    public string? Problem() =>
        Labels.Length < 2 ? $"labels: expected at least two tags, got {Labels.Length}"
        : Labels.Distinct().Count() != Labels.Length ? "labels: the tag names must differ"
        : Encoder.Problem() is { } e ? "encoder." + e
        : null;
}

/// <summary>A token batch → tag logits (B, T, K).</summary>
public sealed class Tagger : Module
{
    public Tagger(TaggerConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("tagger config: " + problem);
        Config = config;
        Encoder = Child("encoder", new SequenceEncoder(config.Encoder, rng));
        Drop = Child("head_drop", new Dropout(config.Encoder.Dropout, rng.Fork()));
        Head = Child("head", new Linear(config.Encoder.OutputWidth, config.Labels.Length, rng));
    }

    public TaggerConfig Config { get; }
    public SequenceEncoder Encoder { get; }
    public Linear Head { get; }
    private Dropout Drop { get; }

    /// <summary>batch (B, T) [with characters] → logits (B, T, K); rows at padding are meaningless.</summary>
    public Tensor Forward(TokenBatch batch) => Head.Forward(Drop.Forward(Encoder.Forward(batch)));
}
