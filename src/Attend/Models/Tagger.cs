// A sequence tagger (synchronous many-to-many): one label per token from a token encoder — a BiLSTM with character
// features (Plank et al. 2016) or a Transformer encoder — followed by dropout and a linear head at every position.
// Word dropout (training only) stands a word in for <unk> now and then, so unseen words at test time meet a trained
// vector; their characters are still read.
using System.Text.Json.Serialization;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Hyperparameters of <see cref="Tagger"/>.</summary>
public sealed record TaggerConfig
{
    /// <summary>Tag names in id order.</summary>
    [JsonPropertyName("labels")] public string[] Labels { get; init; } = [];
    /// <summary>The CoNLL-U column the tags come from: "upos" or "xpos".</summary>
    [JsonPropertyName("column")] public string Column { get; init; } = "upos";
    [JsonPropertyName("encoder")] public SequenceEncoderConfig Encoder { get; init; } = new();
    /// <summary>Probability that a training word is replaced by &lt;unk&gt; (so the unknown-word vector is trained).</summary>
    [JsonPropertyName("word_dropout")] public float WordDropout { get; init; }

    public string? Problem() =>
        Labels.Length < 2 ? $"labels: expected at least two tags, got {Labels.Length}"
        : Labels.Distinct().Count() != Labels.Length ? "labels: the tag names must differ"
        : Column is not ("upos" or "xpos") ? $"column: expected upos or xpos, got \"{Column}\""
        : Encoder.Problem() is { } e ? "encoder." + e
        : WordDropout is < 0 or >= 1 ? $"word_dropout: expected [0, 1), got {WordDropout}"
        : null;
}

/// <summary>A token batch → tag logits (B, T, K).</summary>
public sealed class Tagger : Module
{
    /// <summary>The "tagger" model directory: tags; chars.json beside it holds the characters when the encoder uses them.</summary>
    public static ModelKind<Tagger, TaggerConfig> Kind { get; } = new("tagger", [ModelUse.Tag],
        c => new Tagger(c, new Rng(0)), m => m.Config, c => c.Problem(), c => c.Encoder.VocabSize);

    public Tagger(TaggerConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("tagger config: " + problem);
        Config = config;
        Encoder = Child("encoder", new SequenceEncoder(config.Encoder, rng));
        Drop = Child("head_drop", new Dropout(config.Encoder.Dropout, rng.Fork()));
        WordDrop = Child("word_drop", new Dropout(config.WordDropout, rng.Fork()));
        Head = Child("head", new Linear(config.Encoder.OutputWidth, config.Labels.Length, rng));
    }

    public TaggerConfig Config { get; }
    public SequenceEncoder Encoder { get; }
    public Linear Head { get; }
    private Dropout Drop { get; }
    private Dropout WordDrop { get; }

    /// <summary>
    /// batch (B, T) [with characters] → logits (B, T, K); rows at padding are meaningless. In training, word dropout
    /// replaces word ids (not their characters) by &lt;unk&gt;.
    /// </summary>
    public Tensor Forward(TokenBatch batch)
    {
        batch = batch with { Ids = WordDrop.DropWords(batch.Ids) };
        return Head.Forward(Drop.Forward(Encoder.Forward(batch)));
    }
}
