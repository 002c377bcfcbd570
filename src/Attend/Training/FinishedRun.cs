// What happens after training is scoring, and scoring can fail (a test file that went missing, a bug): the trained
// model is already saved in the run's model/ directory by then, so a failure must not lose it silently. The run's
// results.json records what did succeed (the training) and what failed, and the error says where the model is.
using Attend.Serialization;

namespace Attend.Training;

/// <summary>Scores a finished run without losing it when scoring fails.</summary>
public static class FinishedRun
{
    /// <summary>
    /// Runs <paramref name="evaluate"/> (which writes results.json itself). If it throws, results.json records the
    /// training and the error, and an <see cref="EvaluationFailedException"/> wrapping the cause is thrown.
    /// </summary>
    public static T Evaluate<T>(string runDir, TrainingResult? training, Func<T> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RunConfigFile.WriteResults(runDir, new
            {
                EvaluationError = e.Message,
                Model = Path.Combine(runDir, "model"),
                Training = training is null ? null : new { training.Steps, training.StopReason, BestValidationScore = training.BestScore },
            });
            throw new EvaluationFailedException(runDir, e);
        }
    }
}

/// <summary>Training finished and its model is saved, but scoring it failed.</summary>
public sealed class EvaluationFailedException(string runDir, Exception inner)
    : Exception($"training finished and the model is saved in {Path.Combine(runDir, "model")}, but scoring it failed: {inner.Message} " +
        $"({Path.Combine(runDir, "results.json")} records the training)", inner);
