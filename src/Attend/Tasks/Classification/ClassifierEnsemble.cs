// Several trained classifiers of the same labels, read as one: each member encodes a text with its own tokenizer and
// cut, and the class probabilities are averaged, p(k | text) = (1/M) Σ_i p_i(k | text). An ensemble of one is the
// classifier itself. Members trained with other seeds (and so other validation hold-outs and batch orders) make
// partly independent errors, which the average removes in part (Dietterich 2000).
using Attend.Text.Corpora;
using Attend.Text.Metrics;

namespace Attend.Tasks.Classification;

/// <summary>Averages the class probabilities of its members.</summary>
public sealed class ClassifierEnsemble
{
    public ClassifierEnsemble(IReadOnlyList<Classifier> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        var labels = members[0].Model.Config.Labels;
        foreach (var m in members)
            if (!m.Model.Config.Labels.SequenceEqual(labels))
                throw new ArgumentException($"ensemble members must share their labels: [{string.Join(", ", labels)}] against [{string.Join(", ", m.Model.Config.Labels)}]");
        Members = members.ToArray();
    }

    public Classifier[] Members { get; }

    /// <summary>The label names, in id order.</summary>
    public string[] Labels => Members[0].Model.Config.Labels;

    /// <summary>Loads each directory (see <see cref="Classifier.Load"/>); a member with other labels names its directory.</summary>
    public static ClassifierEnsemble Load(IReadOnlyList<string> dirs)
    {
        var members = dirs.Select(Classifier.Load).ToArray();
        for (int i = 1; i < members.Length; i++)
            if (!members[i].Model.Config.Labels.SequenceEqual(members[0].Model.Config.Labels))
                throw new DataFormatException(Path.Combine(dirs[i], "config.json"), 0,
                    $"field 'config.labels': an ensemble member must have the labels of {dirs[0]} ({string.Join(", ", members[0].Model.Config.Labels)})");
        return new ClassifierEnsemble(members);
    }

    /// <summary>Averaged class probabilities of <paramref name="texts"/>, in order: (N, K).</summary>
    public float[][] Probabilities(IReadOnlyList<string> texts, int maxTokens = 16384)
    {
        var sum = new float[texts.Count][];
        foreach (var member in Members)
        {
            var p = Classifier.Probabilities(member.Model, texts.Select(member.Encode).ToArray(), maxTokens);
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
        Probabilities(texts, maxTokens).Select(p =>
        {
            int best = 0;
            for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
            return new Prediction(best, Labels[best], p[best], p);
        }).ToArray();

    /// <summary>Accuracy, macro-F1 and mean cross-entropy on labelled texts.</summary>
    public (double Accuracy, double MacroF1, double Loss) Score(IReadOnlyList<LabelledText> texts, int maxTokens = 16384)
    {
        var probs = Probabilities(texts.Select(t => t.Text).ToArray(), maxTokens);
        var truth = texts.Select(t => t.Label).ToArray();
        var predicted = probs.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        double loss = -probs.Select((p, i) => Math.Log(Math.Max(p[truth[i]], 1e-30f))).Average();
        return (Scores.Accuracy(truth, predicted), Scores.MacroF1(truth, predicted), loss);
    }
}
