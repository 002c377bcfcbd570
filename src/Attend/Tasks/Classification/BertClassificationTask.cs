// Fine-tuning a pretrained BERT-family encoder for text classification (transfer learning): the encoder's weights
// with a fresh head (BertClassifier.FromEncoder), optionally its embeddings and first N layers frozen, trained on
// WordPiece ids with [CLS]/[SEP] batched by a token budget with length bucketing; the loss is the cross-entropy of
// the head's logits; validation reports loss, accuracy and macro-F1 and selects by accuracy.
// Every training batch has the same shape: texts padded to the longest training text (at most the model's length),
// as many per batch as the token budget holds. Steps then reuse one step's buffers (TensorMemory); batches of varying
// shapes made every step fault in gigabytes of fresh memory (IMDB at 256 tokens: 4 texts/s and 16 GB resident).
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Classification;

/// <summary>Training a <see cref="BertTextClassifier"/>.</summary>
public sealed class BertClassificationTask : ITrainingTask
{
    private readonly BertTextClassifier _classifier;
    private readonly BertInput[] _train, _valid;
    private readonly int[] _trainLabels, _validLabels;
    private readonly int _maxTokens, _length, _batchSize, _seed;
    private readonly float _labelSmoothing;

    public BertClassificationTask(BertTextClassifier classifier, IReadOnlyList<LabelledText> train, IReadOnlyList<LabelledText> valid, int maxTokens, int seed, float labelSmoothing = 0f)
    {
        _classifier = classifier;
        _train = [.. train.Select(t => classifier.Encode(t.Text))];
        _valid = [.. valid.Select(t => classifier.Encode(t.Text))];
        _trainLabels = [.. train.Select(t => t.Label)];
        _validLabels = [.. valid.Select(t => t.Label)];
        _maxTokens = maxTokens;
        _labelSmoothing = labelSmoothing;
        _length = _train.Length == 0 ? 2 : _train.Max(i => i.Ids.Length);
        _batchSize = Math.Max(1, maxTokens / _length);
        _seed = seed;
    }

    public Module Model => _classifier.Model;

    public string Unit => "text";

    /// <summary>Mean WordPiece ids per training text, [CLS] and [SEP] included.</summary>
    public double MeanLength => _train.Average(i => i.Ids.Length);

    /// <summary>Texts per batch and their padded length.</summary>
    public (int Texts, int Length) BatchShape => (_batchSize, _length);

    public IReadOnlyList<Batch> Batches(int epoch)
    {
        var order = Enumerable.Range(0, _train.Length).ToArray();
        new Rng(Rng.Derive((ulong)_seed, epoch)).Shuffle(order.AsSpan());
        return [.. order.Chunk(_batchSize).Select(c => new Batch(c, _length, 0))];
    }

    public (Tensor Loss, int Tokens) Loss(Batch batch)
    {
        var inputs = batch.Indices.Select(i => _train[i]).ToList();
        var logits = _classifier.Model.Forward(BertBatch.From(inputs, _classifier.Tokenizer.PadId, _length));  // (B, K)
        var labels = batch.Indices.Select(i => _trainLabels[i]).ToArray();
        return (Autograd.Ops.CrossEntropy(logits, labels, labelSmoothing: _labelSmoothing), labels.Length);
    }

    public Validation Validate()
    {
        var (accuracy, f1, loss) = Classifier.Score(_classifier.Probabilities(_valid, _maxTokens * 2), _validLabels);
        return new Validation(loss, new Dictionary<string, double> { ["accuracy"] = accuracy, ["macro_f1"] = f1 }, accuracy);
    }

    public void Export(string directory) => _classifier.Save(directory);

    /// <summary>
    /// The classifier to fine-tune: <paramref name="init"/>'s encoder (Attend or Hugging Face directory) with a new head
    /// for <paramref name="labels"/>, inputs cleaned and cut as <paramref name="cut"/> says to its max_tokens WordPiece
    /// tokens plus [CLS] and [SEP] (at most the model's length), and the embeddings and first
    /// <paramref name="freezeLayers"/> layers frozen.
    /// </summary>
    public static BertTextClassifier Start(string init, string[] labels, Attend.Text.TextCut cut, int freezeLayers, int seed)
    {
        var checkpoint = BertCheckpoint.Load(init);
        var encoder = checkpoint.Encoder;
        if (freezeLayers > encoder.Config.NumLayers)
            throw new DataFormatException("config", 0, $"model.freeze_layers: the encoder has {encoder.Config.NumLayers} layers, got {freezeLayers}");
        var model = BertClassifier.FromEncoder(encoder, labels, new Rng((ulong)seed));
        if (freezeLayers > 0)
        {
            foreach (var (name, p) in model.Bert.NamedParameters())
                if (name.StartsWith("embeddings.", StringComparison.Ordinal) || Enumerable.Range(0, freezeLayers).Any(l => name.StartsWith($"encoder.layer.{l}.", StringComparison.Ordinal)))
                    p.RequiresGrad = false;
        }
        int maxLength = cut.MaxTokens == 0 ? checkpoint.MaxLength : Math.Min(checkpoint.MaxLength, cut.MaxTokens + 2);
        return new BertTextClassifier(model, checkpoint.Tokenizer, maxLength, cut);
    }
}
