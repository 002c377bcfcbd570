// Tagging as an ITrainingTask: sentences are batched by a word budget with length bucketing (a fresh deterministic order
// each epoch); the loss is the (label-smoothed) cross-entropy averaged over the batch's real words (padding is
// ignored); validation
// reports the loss and the word accuracy, which selects the best model.
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

    public (Tensor Loss, int Tokens) Loss(Batch batch) => Loss(batch.Indices.Select(i => train[i]).ToList());

    public Validation Validate()
    {
        double loss = 0;
        long words = 0;
        using (GradMode.Off())
        {
            tagger.Model.Eval();
            foreach (var chunk in valid.Chunk(64))
            {
                var (l, n) = Loss(chunk);
                loss += l.Data[0] * (double)n;
                words += n;
            }
        }
        double accuracy = tagger.Accuracy(valid.Select(s => (IReadOnlyList<string>)s.Forms).ToList(), valid.Select(s => s.Tags).ToList());
        return new Validation(loss / Math.Max(1, words), new Dictionary<string, double> { ["accuracy"] = accuracy }, accuracy);
    }

    public void Export(string directory) => ModelDirectory.Save(directory, tagger.Model, tagger.Words, tagger.Characters);

    // mean cross-entropy over the real words of the sentences, and their number
    private (Tensor Loss, int Words) Loss(IReadOnlyList<TaggedSentence> sentences)
    {
        var batch = tagger.Batch(sentences.Select(s => (IReadOnlyList<string>)s.Forms).ToList());
        var logits = tagger.Model.Forward(batch);                               // (B, T, K)
        var targets = new int[batch.Batch * batch.Length];
        Array.Fill(targets, -100);
        for (int b = 0; b < sentences.Count; b++) sentences[b].Tags.CopyTo(targets, b * batch.Length);
        int words = sentences.Sum(s => s.Tags.Length);
        return (Ops.CrossEntropy(Ops.Reshape(logits, -1, logits.Shape[2]), targets, labelSmoothing: labelSmoothing), words);
    }
}
