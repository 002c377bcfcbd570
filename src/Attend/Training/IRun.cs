// What `attend train <task>` drives, whatever the task: a run prepared from its config (data read, tokenizer and
// model built, trainer made by TrainerSetup), trained by the caller with progress and resume, then scored. The CLI's
// one training path (Attend.Cli/Commands/TrainVerb.cs) and the library use it; a task implements it in its *Run.cs.
namespace Attend.Training;

/// <summary>The sections every run config has.</summary>
public interface IRunConfig
{
    /// <summary>Seeds the initialisation, the data order and dropout.</summary>
    int Seed { get; }

    /// <summary>The loop limits; <see cref="TrainConfig.Threads"/> sets the worker threads.</summary>
    TrainConfig Train { get; }

    /// <summary>The first problem found, naming its key, or null.</summary>
    string? Problem();
}

/// <summary>A prepared training run of a task, whose scores are <typeparamref name="TResults"/>.</summary>
public interface IRun<out TResults> where TResults : class
{
    /// <summary>The trainer, or null for a baseline that has nothing to train.</summary>
    Trainer? Trainer { get; }

    /// <summary>Writes the model as it is, for a run without a trainer.</summary>
    void ExportUntrained() => throw new InvalidOperationException("this run has a trainer: train it instead");

    /// <summary>Scores the best model and writes results.json; null when the config names nothing to score.</summary>
    TResults? Evaluate(TrainingResult? training);
}
