// A BERT-family sequence classifier over raw texts: WordPiece ids with [CLS]/[SEP] cut to the model's length, padded
// batches of similar length, softmax of the head's logits. Loads Attend "bert-classifier" directories and Hugging Face
// BertForSequenceClassification directories alike.
using Attend.Autograd;
using Attend.Models;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Classification;

/// <summary>A <see cref="BertClassifier"/> with its tokenizer.</summary>
public sealed class BertTextClassifier(BertClassifier model, WordPieceTokenizer tokenizer, int maxLength) : ITextClassifier
{
    public BertClassifier Model { get; } = model;
    public WordPieceTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The most tokens an input keeps, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; } = maxLength;

    public string[] Labels => Model.Labels;

    /// <summary>Loads a classifier directory (Attend's or Hugging Face's); a bare encoder is refused, naming fine-tuning as the way.</summary>
    public static BertTextClassifier Load(string dir)
    {
        var checkpoint = BertCheckpoint.Load(dir);
        if (checkpoint.Classifier is not { } classifier)
            throw new DataFormatException(Path.Combine(dir, "config.json"), 0, "this BERT model has no classification head; fine-tune one with attend train classification (model.init) or use attend embed");
        return new BertTextClassifier(classifier, checkpoint.Tokenizer, checkpoint.MaxLength);
    }

    /// <summary>The ids of one text.</summary>
    public BertInput Encode(string text) => Tokenizer.Encode(text, maxLength: MaxLength);

    public float[][] Probabilities(IReadOnlyList<string> texts, int maxTokens) => Probabilities([.. texts.Select(Encode)], maxTokens);

    /// <summary>Class probabilities of encoded inputs, in eval mode, in batches of similar length within <paramref name="maxTokens"/>.</summary>
    public float[][] Probabilities(IReadOnlyList<BertInput> inputs, int maxTokens)
    {
        bool training = Model.Training;
        Model.Eval();
        using var _ = GradMode.Off();
        var result = new float[inputs.Count][];
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Ids.Length).ThenBy(i => i).ToArray();
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && (long)(end - start + 1) * inputs[order[end]].Ids.Length <= maxTokens) end++;
            var chunk = order[start..end];
            var p = Ops.Softmax(Model.Forward(BertBatch.From([.. chunk.Select(i => inputs[i])], Tokenizer.PadId))).Data;
            int k = Labels.Length;
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = p.AsSpan(j * k, k).ToArray();
            start = end;
        }
        Model.Train(training);
        return result;
    }

    /// <summary>Writes an Attend "bert-classifier" directory.</summary>
    public void Save(string dir) => new BertCheckpoint(Model, Tokenizer, MaxLength, dir).Save(dir);
}
