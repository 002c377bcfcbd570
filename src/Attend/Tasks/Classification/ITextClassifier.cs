// What `attend classify` and `attend eval classification` need of a classifier, whatever its architecture: its class
// names and the class probabilities of raw texts. Attend's own classifiers (Classifier) and fine-tuned BERT-family
// encoders (BertTextClassifier) both provide it, and an ensemble averages any mix of them.
namespace Attend.Tasks.Classification;

/// <summary>A trained classifier of raw texts.</summary>
public interface ITextClassifier
{
    /// <summary>The class names in id order.</summary>
    string[] Labels { get; }

    /// <summary>Class probabilities (N, K) of <paramref name="texts"/>, in order, in batches within <paramref name="maxTokens"/> padded tokens.</summary>
    float[][] Probabilities(IReadOnlyList<string> texts, int maxTokens);
}
