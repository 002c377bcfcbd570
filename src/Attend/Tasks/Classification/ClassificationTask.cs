// Text classification as an ITrainingTask: the training texts, encoded once, are batched by a token budget with length
// bucketing (a fresh deterministic order each epoch); the loss is the (label-smoothed) cross-entropy averaged over the
// batch's texts; validation reports the loss, accuracy and macro-F1 and selects the best model by accuracy.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Training;

namespace Attend.Tasks.Classification;

/// <summary>Encoded texts with their label ids.</summary>
public sealed record EncodedTexts(int[][] Ids, int[] Labels)
{
    /// <summary>Encodes <paramref name="texts"/> with <paramref name="classifier"/>'s tokenizer and cut.</summary>
    public static EncodedTexts From(Classifier classifier, IReadOnlyList<LabelledText> texts) =>
        new(texts.Select(t => classifier.Encode(t.Text)).ToArray(), texts.Select(t => t.Label).ToArray());

    /// <summary>Accuracy, macro-F1 and mean cross-entropy of <paramref name="model"/> on these texts.</summary>
    public (double Accuracy, double MacroF1, double Loss) Score(TextClassifier model, int maxTokens) =>
        Classifier.Score(Classifier.Probabilities(model, Ids, maxTokens), Labels);
}

/// <summary>Training a <see cref="TextClassifier"/>.</summary>
public sealed class ClassificationTask(Classifier classifier, EncodedTexts train, EncodedTexts valid, int maxTokens, int seed, float labelSmoothing = 0f) : ITrainingTask
{
    private readonly TokenBatcher _batcher = new(train.Ids.Select(ids => new Example(ids, [])).ToArray(), maxTokens, seed);

    public Module Model => classifier.Model;

    public string Unit => "text";

    public IReadOnlyList<Batch> Batches(int epoch) => _batcher.Epoch(epoch);

    public (Tensor Loss, int Tokens) Loss(Batch batch)
    {
        var logits = classifier.Model.Forward(batch.Indices.Select(i => train.Ids[i]).ToList()); // (B, K)
        var labels = batch.Indices.Select(i => train.Labels[i]).ToArray();
        return (Ops.CrossEntropy(logits, labels, labelSmoothing: labelSmoothing), labels.Length);
    }

    public Validation Validate()
    {
        var (accuracy, f1, loss) = valid.Score(classifier.Model, maxTokens * 2);
        return new Validation(loss, new Dictionary<string, double> { ["accuracy"] = accuracy, ["macro_f1"] = f1 }, accuracy);
    }

    public void Export(string directory) => classifier.Save(directory);
}
