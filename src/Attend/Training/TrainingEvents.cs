// What the trainer reports while it runs. The library raises these; the CLI draws them (Spectre.Console) and tests
// record them.
namespace Attend.Training;

/// <summary>Progress after an update.</summary>
/// <param name="Step">Updates taken so far.</param>
/// <param name="Epoch">Current epoch (0-based).</param>
/// <param name="Loss">Mean training loss per token since the last report.</param>
/// <param name="LearningRate">Rate used by the last update.</param>
/// <param name="TokensPerSecond">Units counted by the task's loss (target tokens; texts, words) per second since the last report.</param>
/// <param name="ElapsedSeconds">Training time so far, across resumes.</param>
/// <param name="Fraction">Progress towards the nearest limit in [0, 1].</param>
/// <param name="Unit">What the task counts, e.g. "tok" (see <see cref="ITrainingTask.Unit"/>).</param>
public sealed record StepReport(long Step, int Epoch, double Loss, float LearningRate, double TokensPerSecond, double ElapsedSeconds, double Fraction, string Unit = "tok");

/// <summary>One row of the learning curve: a validation.</summary>
public sealed record CurvePoint(long Step, double ElapsedSeconds, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics, bool Best);

/// <summary>Receives training events (every member is optional).</summary>
public interface ITrainingObserver
{
    /// <summary>Called every <see cref="TrainerOptions.LogEvery"/> updates.</summary>
    void OnProgress(StepReport report) { }

    /// <summary>Called when validation begins.</summary>
    void OnValidating(long step) { }

    /// <summary>Called after each validation.</summary>
    void OnValidation(CurvePoint point) { }

    /// <summary>Called for notable events (resume, checkpoint averaging, early stop).</summary>
    void OnMessage(string message) { }
}

/// <summary>An observer that ignores everything.</summary>
public sealed class SilentObserver : ITrainingObserver;

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
/// <param name="Steps">Updates taken in total.</param>
/// <param name="BestScore">Best validation score.</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="Curve">Every validation, in order.</param>
public sealed record TrainingResult(long Steps, double BestScore, string StopReason, IReadOnlyList<CurvePoint> Curve)
{
    /// <summary>True when training was stopped by its cancellation token (Ctrl+C) rather than by a limit; --resume continues it.</summary>
    public bool Cancelled { get; init; }

    /// <summary>Seconds of training at the last curve point (0 when there is none), rounded to 0.1.</summary>
    public double Seconds => Math.Round(Curve.Count > 0 ? Curve[^1].ElapsedSeconds : 0, 1);
}
