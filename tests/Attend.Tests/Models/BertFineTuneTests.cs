// Fine-tuning a BERT classifier from an encoder: the encoder's weights are carried over, a frozen layer keeps its
// weights while the rest learn, and the loss falls on a separable toy task. Gradients flow through ops that each have
// their own gradient check; this checks the wiring.
using Attend.Autograd;
using Attend.Models;
using Attend.Training;

namespace Attend.Tests.Models;

public sealed class BertFineTuneTests
{
    private static readonly BertConfig Tiny = new() { VocabSize = 20, HiddenSize = 16, NumLayers = 2, NumHeads = 2, IntermediateSize = 32, MaxPositions = 12, HiddenDropout = 0, AttentionDropout = 0 };

    [Fact]
    public void TheHeadLearnsWhileFrozenLayersKeepTheirWeights()
    {
        var encoder = new BertModel(Tiny, new Rng(3));
        var model = BertClassifier.FromEncoder(encoder, ["a", "b"], new Rng(4));
        Assert.Equal(encoder.Layers[1].Query.Weight.Data, model.Bert.Layers[1].Query.Weight.Data);
        foreach (var (name, p) in model.Bert.NamedParameters())
            if (name.StartsWith("embeddings.") || name.StartsWith("encoder.layer.0.")) p.RequiresGrad = false;
        var frozen = model.Bert.Layers[0].Intermediate.Weight.Data.ToArray();
        var trained = model.Bert.Layers[1].Intermediate.Weight.Data.ToArray();
        // class = whether token 5 occurs
        var rng = new Random(1);
        var inputs = Enumerable.Range(0, 16).Select(i => new Text.Tokenization.BertInput([1, .. Enumerable.Range(0, 6).Select(_ => i % 2 == 0 ? 5 : rng.Next(6, 20)), 2], new int[8])).ToList();
        var labels = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 1 : 0).ToArray();
        var batch = BertBatch.From(inputs, 0);
        var adam = new Adam(model.Parameters(), 3e-3f, 0.9f, 0.999f, 1e-8f, 0f, decoupled: true);
        model.Train();
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            model.ZeroGrad();
            var loss = Ops.CrossEntropy(model.Forward(batch), labels);
            if (step == 0) first = loss.Data[0];
            last = loss.Data[0];
            loss.Backward();
            adam.Step();
        }
        Assert.True(last < first * 0.2f, $"loss {first} → {last}");
        Assert.Equal(frozen, model.Bert.Layers[0].Intermediate.Weight.Data);
        Assert.NotEqual(trained, model.Bert.Layers[1].Intermediate.Weight.Data);
    }
}
