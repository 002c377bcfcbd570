// Plain evaluation metrics used by every task: accuracy and macro-F1 over labels, MSE/MAE/RMSE over values, and
// perplexity from a mean cross-entropy in nats. Definitions follow scikit-learn (macro-F1 averages the per-class F1
// of every class present in either the truth or the predictions; a class with no predicted and no true examples
// is absent; 0/0 precision or recall counts as 0).
namespace Attend.Training;

/// <summary>Classification, regression and language-model scores.</summary>
public static class Scores
{
    /// <summary>Fraction of positions where prediction equals truth.</summary>
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        Check(truth.Count, predicted.Count);
        if (truth.Count == 0) throw new ArgumentException("accuracy of no examples is undefined");
        int right = 0;
        for (int i = 0; i < truth.Count; i++) if (truth[i] == predicted[i]) right++;
        return (double)right / truth.Count;
    }

    /// <summary>Unweighted mean of per-class F1 over the classes in truth ∪ predictions (sklearn f1_score average="macro").</summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        Check(truth.Count, predicted.Count);
        var classes = truth.Concat(predicted).Distinct().ToArray();
        if (classes.Length == 0) throw new ArgumentException("F1 of no examples is undefined");
        double total = 0;
        foreach (int c in classes)
        {
            long tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < truth.Count; i++)
            {
                bool t = truth[i] == c, p = predicted[i] == c;
                if (t && p) tp++;
                else if (p) fp++;
                else if (t) fn++;
            }
            total += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return total / classes.Length;
    }

    /// <summary>Mean squared error.</summary>
    public static double Mse(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) => Mean(truth, predicted, squared: true);

    /// <summary>Mean absolute error.</summary>
    public static double Mae(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) => Mean(truth, predicted, squared: false);

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) => Math.Sqrt(Mse(truth, predicted));

    /// <summary>exp(mean cross-entropy in nats).</summary>
    public static double Perplexity(double meanCrossEntropyNats) => Math.Exp(meanCrossEntropyNats);

    private static double Mean(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted, bool squared)
    {
        Check(truth.Length, predicted.Length);
        if (truth.Length == 0) throw new ArgumentException("error of no values is undefined");
        double sum = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double d = (double)predicted[i] - truth[i];
            sum += squared ? d * d : Math.Abs(d);
        }
        return sum / truth.Length;
    }

    private static void Check(int a, int b)
    {
        if (a != b) throw new ArgumentException($"truth has {a} entries but predictions have {b}");
    }
}
