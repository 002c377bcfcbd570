// Inference with a trained text classifier: texts → the same cleaning and truncation as in training → batches of
// similar length within a token budget → class probabilities, returned in input order. Used by validation, the test
// evaluation and `attend classify`.
using Attend.Text;
using Attend.Training;
using System.Text.Json;
using Attend.Autograd;
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Metrics;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Classification;

/// <summary>A prediction: the label id, its name and its probability, and every class's probability.</summary>
public sealed record Prediction(int Label, string Name, float Probability, float[] Probabilities);

/// <summary>A classifier with its tokenizer and text settings.</summary>
public sealed class Classifier(TextClassifier model, ITokenizer tokenizer, TextCut cut) : ITextClassifier
{
    public TextClassifier Model { get; } = model;
    public ITokenizer Tokenizer { get; } = tokenizer;
    public TextCut Cut { get; } = cut;

    /// <summary>Loads a "text-classifier" model directory.</summary>
    public static Classifier Load(string dir)
    {
        var loaded = ModelRegistry.Load<TextClassifier>(dir);
        var tokenizer = loaded.Tokenizer ?? throw new DataFormatException(Path.Combine(dir, "tokenizer.json"), 0, "file not found: a classifier needs its tokenizer");
        return new Classifier(loaded.Model, tokenizer, ReadCut(loaded.Header));
    }

    /// <summary>The "text" section of a classifier directory's header: how its texts are cut; a bad one is a format error naming it.</summary>
    internal static TextCut ReadCut(Serialization.ModelHeader header)
    {
        TextCut? cut;
        try
        {
            cut = header.Section("text").Deserialize<TextCut>();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(header.Path, 0, $"field 'text': {e.Message}");
        }
        if (cut is null) throw new DataFormatException(header.Path, 0, "field 'text': expected an object");
        if (cut.Problem() is { } problem) throw new DataFormatException(header.Path, 0, "field 'text': " + problem);
        return cut;
    }

    /// <summary>Writes the model directory: the model, its tokenizer and, as the "text" section, how texts are cut.</summary>
    public void Save(string dir) => ModelRegistry.Save(dir, Model, Tokenizer,
        new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["text"] = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(Cut)! });

    public string[] Labels => Model.Config.Labels;

    /// <inheritdoc/>
    public float[][] Probabilities(IReadOnlyList<string> texts, int maxTokens) => Probabilities(Model, texts.Select(Encode).ToArray(), maxTokens);

    /// <summary>The word ids the model reads for <paramref name="text"/>.</summary>
    public int[] Encode(string text) => Cut.Encode(Tokenizer, text);

    /// <summary>Predictions for <paramref name="texts"/>, in order.</summary>
    public Prediction[] Classify(IReadOnlyList<string> texts, int maxTokens = 16384) =>
        Predictions(Probabilities(Model, texts.Select(Encode).ToArray(), maxTokens), Model.Config.Labels);

    /// <summary>The most probable label of each row of class probabilities (N, K).</summary>
    public static Prediction[] Predictions(float[][] probabilities, string[] labels) => probabilities.Select(p =>
    {
        int best = ArgMax(p);
        return new Prediction(best, labels[best], p[best], p);
    }).ToArray();

    /// <summary>Accuracy, macro-F1 and mean cross-entropy of class probabilities (N, K) against label ids.</summary>
    public static (double Accuracy, double MacroF1, double Loss) Score(float[][] probabilities, IReadOnlyList<int> truth)
    {
        var predicted = probabilities.Select(ArgMax).ToArray();
        double loss = -probabilities.Select((p, i) => Math.Log(Math.Max(p[truth[i]], 1e-30f))).Average();
        return (Scores.Accuracy(truth, predicted), Scores.MacroF1(truth, predicted), loss);
    }

    // the first index of the largest probability
    private static int ArgMax(float[] p)
    {
        int best = 0;
        for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
        return best;
    }

    /// <summary>
    /// Class probabilities of already encoded sequences, in order, computed in eval mode in batches of similar length
    /// whose padded size stays within <paramref name="maxTokens"/>; the model's training mode is restored afterwards.
    /// </summary>
    public static float[][] Probabilities(TextClassifier model, IReadOnlyList<int[]> sequences, int maxTokens)
    {
        bool training = model.Training;
        model.Eval();
        using var _ = GradMode.Off();
        var result = new float[sequences.Count][];
        var order = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ThenBy(i => i).ToArray();
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && (long)(end - start + 1) * (sequences[order[end]].Length + 1) <= maxTokens) end++;
            var chunk = order[start..end];
            using var batchMemory = TensorMemory.InferenceBatch();
            var probs = model.Probabilities(chunk.Select(i => sequences[i]).ToList());
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = probs[j];
            start = end;
        }
        model.Train(training);
        return result;
    }
}
