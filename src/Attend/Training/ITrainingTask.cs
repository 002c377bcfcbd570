// What the trainer needs from a task (translation, classification, language modelling, …): the model, the batches of
// an epoch, the loss of one batch, a validation pass and a way to export the model. Tasks hold no loop; the
// Trainer holds no task knowledge.
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Batching;

namespace Attend.Training;

/// <summary>A trainable task.</summary>
public interface ITrainingTask
{
    /// <summary>The model being trained.</summary>
    Module Model { get; }

    /// <summary>The training batches of <paramref name="epoch"/> (0-based); the same epoch always gives the same list.</summary>
    IReadOnlyList<Batch> Batches(int epoch);

    /// <summary>The mean loss over the batch's predicted tokens (a scalar with a graph) and how many tokens it averages.</summary>
    (Tensor Loss, int Tokens) Loss(Batch batch);

    /// <summary>Evaluates on the validation set (the model is in eval mode and gradients are off).</summary>
    Validation Validate();

    /// <summary>What <see cref="Loss"/> counts, for rates in progress reports: "tok" (target tokens), "text", "word".</summary>
    string Unit => "tok";

    /// <summary>Writes the model (and its tokenizer) as a model directory.</summary>
    void Export(string directory);
}

/// <summary>
/// A validation result: the loss, named metrics (e.g. "bleu") and the score that selects the best model (higher is
/// better; tasks without a metric use −loss).
/// </summary>
public sealed record Validation(double Loss, IReadOnlyDictionary<string, double> Metrics, double Score);
