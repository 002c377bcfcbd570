// Tagging as an ITrainingTask: sentences are batched by a word budget with length bucketing (a fresh deterministic order
// each epoch); the loss is the (label-smoothed) cross-entropy averaged over the batch's real words (padding is
// ignored); validation reports the loss and the word accuracy (one pass, SequenceTagger.Score), which selects the best
// model.
using Attend.Autograd;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Training;

namespace Attend.Tasks.Tagging;

/// <summary>Training a <see cref="SequenceTagger"/>.</summary>
public sealed class TaggingTask(SequenceTagger tagger, IReadOnlyList<TaggedSentence> train, IReadOnlyList<TaggedSentence> valid, int maxTokens, int seed,
    float labelSmoothing = 0f) : ITrainingTask
{
    private readonly TokenBatcher _batcher = new(train.Select(s => new Example(s.Tags, [])).ToArray(), maxTokens, seed);

    public Module Model => tagger.Model;

    public string Unit => "word";

    public IReadOnlyList<Batch> Batches(int epoch) => _batcher.Epoch(epoch);

    public (Tensor Loss, int Tokens) Loss(Batch batch)
    {
        var sentences = batch.Indices.Select(i => train[i]).ToList();
        var tokens = tagger.Batch(sentences.Select(s => (IReadOnlyList<string>)s.Forms).ToList());
        var logits = tagger.Model.Forward(tokens);                              // (B, T, K)
        var targets = new int[tokens.Batch * tokens.Length];
        Array.Fill(targets, -100);
        for (int b = 0; b < sentences.Count; b++) sentences[b].Tags.CopyTo(targets, b * tokens.Length);
        int words = sentences.Sum(s => s.Tags.Length);
        return (Ops.CrossEntropy(Ops.Reshape(logits, -1, logits.Shape[2]), targets, labelSmoothing: labelSmoothing), words);
    }

    public Validation Validate()
    {
        var score = tagger.Score(valid);
        return new Validation(score.Loss, new Dictionary<string, double> { ["accuracy"] = score.Accuracy }, score.Accuracy);
    }

    public void Export(string directory) => tagger.Save(directory);
}
