// Hugging Face's BertForSequenceClassification: a BertModel under "bert.", dropout on the pooled [CLS] vector and a
// linear head "classifier" → class logits. The labels come from the config's id2label.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Token ids (B, T) → class logits (B, K).</summary>
public sealed class BertClassifier : Module
{
    /// <summary>The "bert-classifier" model directory: classifies (attend classify, attend eval classification).</summary>
    public static ModelKind<BertClassifier, BertConfig> Kind { get; } = new("bert-classifier", [ModelUse.Classify],
        c => new BertClassifier(c, new Rng(0)), m => m.Config, ClassifierProblem, _ => null, optionalSections: ["text"]);

    public BertClassifier(BertConfig config, Rng rng)
    {
        if (ClassifierProblem(config) is { } problem) throw new ArgumentException("bert classifier config: " + problem);
        Config = config;
        Bert = Child("bert", new BertModel(config, rng));
        Drop = Child("dropout", new Dropout(config.ClassifierDropout ?? config.HiddenDropout, rng.Fork()));
        Head = Child("classifier", Models.BertInit.Linear(config.HiddenSize, config.Labels.Length, rng));
    }

    public BertConfig Config { get; }
    public BertModel Bert { get; }
    public Linear Head { get; }
    private Dropout Drop { get; }

    /// <summary>The class names in id order.</summary>
    public string[] Labels => Config.Labels;

    /// <summary>batch (B, T) → logits (B, K).</summary>
    public Tensor Forward(BertBatch batch) => Head.Forward(Drop.Forward(Bert.Pool(Bert.Forward(batch))));

    /// <summary>A classifier over a pretrained encoder: its weights copied in, a new head for <paramref name="labels"/>.</summary>
    public static BertClassifier FromEncoder(BertModel encoder, string[] labels, Rng rng)
    {
        var config = encoder.Config with
        {
            Id2Label = labels.Select((l, i) => (l, i)).ToDictionary(p => p.i.ToString(), p => p.l),
            AddPoolingLayer = true,
        };
        var model = new BertClassifier(config, rng);
        var source = encoder.StateDict();
        foreach (var (name, t) in model.Bert.NamedState())
            if (source.TryGetValue(name, out var s)) s.Data.AsSpan().CopyTo(t.Data);
        return model;
    }

    private static string? ClassifierProblem(BertConfig c) =>
        c.Problem() is { } p ? p
        : c.Labels.Length < 2 ? "id2label: a classifier needs at least two classes"
        : !c.AddPoolingLayer ? "add_pooling_layer: a classifier reads the pooler"
        : null;
}
