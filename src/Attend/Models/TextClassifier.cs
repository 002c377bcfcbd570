// Text classification (the lecture notes' comparison of bag-of-words, RNN and Transformer): a token encoder
// (Transformer encoder or BiLSTM/BiGRU, see SequenceEncoder) pooled over time — BERT's [CLS] token, the masked mean or
// the masked max (Chollet's GlobalMaxPooling1D) — then dropout and a linear head; or the bag-of-n-grams baseline.
// With [CLS] pooling the model prepends the <bos> id as the [CLS] token itself, so callers pass plain word ids.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>Hyperparameters of <see cref="TextClassifier"/>: labels, and either an encoder with pooling or a bag of n-grams.</summary>
public sealed record TextClassifierConfig
{
    /// <summary>Class names in id order.</summary>
    [JsonPropertyName("labels")] public string[] Labels { get; init; } = [];
    [JsonPropertyName("encoder")] public SequenceEncoderConfig? Encoder { get; init; }
    /// <summary>"cls", "mean" or "max" (encoder models).</summary>
    [JsonPropertyName("pooling")] public Pooling Pooling { get; init; } = Pooling.Max;
    [JsonPropertyName("bow")] public BagOfNgramsConfig? Bow { get; init; }
    /// <summary>Probability that a training word is replaced by &lt;unk&gt; (encoder models).</summary>
    [JsonPropertyName("word_dropout")] public float WordDropout { get; init; }
    /// <summary>
    /// A pretrained BERT-family encoder to fine-tune (an Attend or Hugging Face directory) instead of encoder or bow;
    /// a run setting only: the trained model is a "bert-classifier" directory.
    /// </summary>
    [JsonPropertyName("init"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Init { get; init; }
    /// <summary>With init: the embeddings and this many first layers stay frozen.</summary>
    [JsonPropertyName("freeze_layers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int FreezeLayers { get; init; }
    /// <summary>Dropout on the pooled vector before the head (null = encoder.dropout).</summary>
    [JsonPropertyName("head_dropout")] public float? HeadDropout { get; init; }

    /// <summary>The first problem, naming its key, or null.</summary>
    public string? Problem() =>
        Labels.Length < 2 ? $"labels: expected at least two classes, got {Labels.Length}"
        : Labels.Distinct().Count() != Labels.Length ? "labels: the class names must differ"
        : Init is not null ? "init: a pretrained encoder is fine-tuned as a BERT classifier, not built as a text classifier"
        : (Encoder is null) == (Bow is null) ? "give either encoder (Transformer, LSTM or GRU) or bow (the bag-of-n-grams baseline), not both"
        : Bow?.Problem() is { } b ? "bow." + b
        : Encoder?.Problem() is { } e ? "encoder." + e
        : WordDropout is < 0 or >= 1 ? $"word_dropout: expected [0, 1), got {WordDropout}"
        : HeadDropout is < 0 or >= 1 ? $"head_dropout: expected [0, 1), got {HeadDropout}"
        : Encoder is { UsesCharacters: true } ? "encoder.char_vocab_size: character features are for taggers; set 0"
        : null;
}

/// <summary>Word-id sequences → class logits (B, K).</summary>
public sealed class TextClassifier : Module
{
    /// <summary>The "text-classifier" model directory: classifies; its "text" section says how texts are cut (Attend.Text.TextCut).</summary>
    public static ModelKind<TextClassifier, TextClassifierConfig> Kind { get; } = new("text-classifier", [ModelUse.Classify],
        c => new TextClassifier(c, new Rng(0)), m => m.Config, c => c.Problem(), c => c.Encoder?.VocabSize ?? c.Bow!.VocabSize, sections: ["text"]);

    public TextClassifier(TextClassifierConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("classifier config: " + problem);
        Config = config;
        if (config.Bow is { } bow)
        {
            Bow = Child("bow", new BagOfNgrams(bow, config.Labels.Length));
            return;
        }
        var e = config.Encoder!;
        Pooling = config.Pooling;
        Encoder = Child("encoder", new SequenceEncoder(e, rng));
        Drop = Child("head_drop", new Dropout(config.HeadDropout ?? e.Dropout, rng.Fork()));
        WordDrop = Child("word_drop", new Dropout(config.WordDropout, rng.Fork()));
        Head = Child("head", new Linear(e.OutputWidth, config.Labels.Length, rng));
    }

    public TextClassifierConfig Config { get; }
    public SequenceEncoder? Encoder { get; }
    public BagOfNgrams? Bow { get; }
    public Linear? Head { get; }
    public Pooling Pooling { get; }
    private Dropout? Drop { get; }
    private Dropout? WordDrop { get; }

    /// <summary>The most word ids a sequence may have (the Transformer's positions less the [CLS] token); null = any.</summary>
    public int? MaxTokens => Encoder?.Config is { Kind: EncoderKind.Transformer } e ? e.MaxLength - (Pooling == Pooling.Cls ? 1 : 0) : null;

    /// <summary>sequences: B lists of word ids (each non-empty, at most <see cref="MaxTokens"/>) → logits (B, K).</summary>
    public Tensor Forward(IReadOnlyList<int[]> sequences)
    {
        if (Bow is not null) return Bow.Forward(sequences);
        var ids = Pooling == Pooling.Cls ? sequences.Select(s => (int[])[SpecialTokens.Bos, .. s]).ToList() : sequences;
        var batch = TokenBatch.From(ids);
        batch = batch with { Ids = WordDrop!.DropWords(batch.Ids) };
        var states = Encoder!.Forward(batch);                                   // (B, T, C)
        var pooled = SequencePooling.Pool(states, batch.Padding, Pooling);      // (B, C)
        return Head!.Forward(Drop!.Forward(pooled));                            // (B, K)
    }

    /// <summary>Class probabilities (B, K) in eval mode without gradients.</summary>
    public float[][] Probabilities(IReadOnlyList<int[]> sequences)
    {
        using var _ = GradMode.Off();
        var p = Ops.Softmax(Forward(sequences));
        int k = Config.Labels.Length;
        return Enumerable.Range(0, sequences.Count).Select(i => p.Data.AsSpan(i * k, k).ToArray()).ToArray();
    }
}
