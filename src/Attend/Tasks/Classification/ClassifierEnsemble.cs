// Several trained classifiers of the same labels, read as one: each member encodes a text with its own tokenizer and
// cut, and the class probabilities are averaged, p(k | text) = (1/M) Σ_i p_i(k | text). An ensemble of one is the
// classifier itself. Members trained with other seeds (and so other validation hold-outs and batch orders) make
// partly independent errors, which the average removes in part (Dietterich 2000).
using Attend.Text.Corpora;

namespace Attend.Tasks.Classification;

/// <summary>Averages the class probabilities of its members.</summary>
public sealed class ClassifierEnsemble
{
    public ClassifierEnsemble(IReadOnlyList<ITextClassifier> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        if (OtherLabels(members) is int i)
            throw new ArgumentException($"ensemble members must share their labels: [{string.Join(", ", members[0].Labels)}] against [{string.Join(", ", members[i].Labels)}]");
        Members = members.ToArray();
    }

    public ITextClassifier[] Members { get; }

    /// <summary>The label names, in id order.</summary>
    public string[] Labels => Members[0].Labels;

    /// <summary>
    /// Loads each directory: an Attend text classifier (<see cref="Classifier.Load"/>), or a BERT-family classifier,
    /// Attend's or Hugging Face's (<see cref="BertTextClassifier.Load"/>); a member with other labels names its directory.
    /// </summary>
    public static ClassifierEnsemble Load(IReadOnlyList<string> dirs)
    {
        var members = dirs.Select(LoadOne).ToArray();
        if (OtherLabels(members) is int i)
            throw new DataFormatException(Path.Combine(dirs[i], "config.json"), 0,
                $"field 'config.labels': an ensemble member must have the labels of {dirs[0]} ({string.Join(", ", members[0].Labels)})");
        return new ClassifierEnsemble(members);
    }

    private static ITextClassifier LoadOne(string dir) =>
        Models.BertCheckpoint.IsHuggingFace(dir) || Serialization.ModelDirectory.ReadHeader(dir).Architecture == Models.BertClassifier.Kind.Name
            ? BertTextClassifier.Load(dir)
            : Classifier.Load(dir);

    // the first member whose labels differ from the first member's, or null
    private static int? OtherLabels(IReadOnlyList<ITextClassifier> members)
    {
        for (int i = 1; i < members.Count; i++)
            if (!members[i].Labels.SequenceEqual(members[0].Labels)) return i;
        return null;
    }

    /// <summary>Averaged class probabilities of <paramref name="texts"/>, in order: (N, K).</summary>
    public float[][] Probabilities(IReadOnlyList<string> texts, int maxTokens = 16384)
    {
        var sum = new float[texts.Count][];
        foreach (var member in Members)
        {
            var p = member.Probabilities(texts, maxTokens);
            for (int i = 0; i < p.Length; i++)
            {
                sum[i] ??= new float[p[i].Length];
                for (int k = 0; k < p[i].Length; k++) sum[i][k] += p[i][k];
            }
        }
        float inv = 1f / Members.Length;
        foreach (var row in sum)
            for (int k = 0; k < row.Length; k++) row[k] *= inv;
        return sum;
    }

    /// <summary>Predictions for <paramref name="texts"/>, in order.</summary>
    public Prediction[] Classify(IReadOnlyList<string> texts, int maxTokens = 16384) =>
        Classifier.Predictions(Probabilities(texts, maxTokens), Labels);

    /// <summary>Accuracy, macro-F1 and mean cross-entropy on labelled texts.</summary>
    public (double Accuracy, double MacroF1, double Loss) Score(IReadOnlyList<LabelledText> texts, int maxTokens = 16384) =>
        Classifier.Score(Probabilities(texts.Select(t => t.Text).ToArray(), maxTokens), texts.Select(t => t.Label).ToArray());
}
