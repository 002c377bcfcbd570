// A BERT-family sequence classifier over raw texts: WordPiece ids with [CLS]/[SEP] cut to the model's length, padded
// batches of similar length, softmax of the head's logits. Loads Attend "bert-classifier" directories and Hugging Face
// BertForSequenceClassification directories alike. A fine-tuned model keeps how its texts were cut (HTML breaks
// removed, head / tail / head + tail) in its "text" section, so inference cuts texts as training did; a Hugging Face
// directory has none and cuts at the head, as Hugging Face's tokenizer does.
using System.Text.Json;
using Attend.Autograd;
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Classification;

/// <summary>A <see cref="BertClassifier"/> with its tokenizer.</summary>
public sealed class BertTextClassifier(BertClassifier model, WordPieceTokenizer tokenizer, int maxLength, TextCut? cut = null) : ITextClassifier
{
    public BertClassifier Model { get; } = model;
    public WordPieceTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The most tokens an input keeps, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; } = maxLength;

    /// <summary>How texts are cleaned and cut to <see cref="MaxLength"/> less [CLS] and [SEP]; null cuts at the head.</summary>
    public TextCut? Cut { get; } = cut is null ? null : cut with { MaxTokens = maxLength - 2 };

    public string[] Labels => Model.Labels;

    /// <summary>
    /// Loads a classifier directory (Attend's or Hugging Face's) for inference, its weights packed
    /// (<see cref="Nn.Module.PackForInference"/>); a bare encoder is refused, naming fine-tuning as the way.
    /// </summary>
    public static BertTextClassifier Load(string dir)
    {
        var checkpoint = BertCheckpoint.Load(dir);
        if (checkpoint.Classifier is not { } classifier)
            throw new DataFormatException(Path.Combine(dir, "config.json"), 0, "this BERT model has no classification head; fine-tune one with attend train classification (model.init) or use attend embed");
        classifier.PackForInference();
        return new BertTextClassifier(classifier, checkpoint.Tokenizer, checkpoint.MaxLength, BertCheckpoint.IsHuggingFace(dir) ? null : ReadCut(dir));
    }

    // the "text" section of an Attend bert-classifier directory (absent in directories written before it existed)
    private static TextCut? ReadCut(string dir)
    {
        var header = ModelDirectory.ReadHeader(dir);
        return header.Root["text"] is null ? null : Classifier.ReadCut(header);
    }

    /// <summary>The ids of one text: [CLS], its pieces cut as <see cref="Cut"/> says, [SEP].</summary>
    public BertInput Encode(string text)
    {
        if (Cut is null) return Tokenizer.Encode(text, maxLength: MaxLength);
        var pieces = Cut.Cut(Tokenizer.EncodeTokens(Cut.Clean(text)));
        var ids = new int[pieces.Length + 2];
        ids[0] = Tokenizer.ClsId;
        pieces.CopyTo(ids, 1);
        ids[^1] = Tokenizer.SepId;
        return new BertInput(ids, new int[ids.Length]);
    }

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
            using var batchMemory = TensorMemory.InferenceBatch();
            var p = Ops.Softmax(Model.Forward(BertBatch.From([.. chunk.Select(i => inputs[i])], Tokenizer.PadId))).Data;
            int k = Labels.Length;
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = p.AsSpan(j * k, k).ToArray();
            start = end;
        }
        Model.Train(training);
        return result;
    }

    /// <summary>Writes an Attend "bert-classifier" directory.</summary>
    public void Save(string dir) => new BertCheckpoint(Model, Tokenizer, MaxLength, dir).Save(dir,
        Cut is null ? null : new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["text"] = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(Cut)! });
}
