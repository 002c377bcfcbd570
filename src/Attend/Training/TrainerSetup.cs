// The one place a run's "optim" and "train" sections become an optimiser, a learning-rate schedule and a Trainer.
// Every task's run (translation, language model, classification, tagging, forecasting) and the demo build their
// trainer here. The batches of an epoch are counted only when something is measured in epochs: validation "each
// epoch" (valid_every 0), epoch_decay, or a cosine decay over max_epochs. Steps are updates: with accumulation an
// epoch is its batches / accumulation updates (rounded up), so a cosine over max_epochs ends where training does.
using Attend.Text.Corpora;

namespace Attend.Training;

/// <summary>Builds trainers from run configs.</summary>
public static class TrainerSetup
{
    /// <summary>
    /// The optimiser over <paramref name="task"/>'s model, the schedule and the trainer. <paramref name="modelWidth"/>
    /// is d_model for the noam schedule; <paramref name="decayMask"/> says which parameters weight decay applies to
    /// (null: all). A config that cannot make a trainer is a format error naming the key.
    /// </summary>
    public static Trainer Create(ITrainingTask task, OptimConfig o, TrainConfig t, int seed, Action<string>? log = null,
        int modelWidth = 0, IReadOnlyList<bool>? decayMask = null)
    {
        var perEpoch = new Lazy<int>(() =>
        {
            int n = task.Batches(0).Count, updates = (n + o.Accumulation - 1) / o.Accumulation;
            log?.Invoke(o.Accumulation == 1 ? $"{n:N0} batches per epoch" : $"{n:N0} batches per epoch: {updates:N0} updates of {o.Accumulation}");
            return updates;
        });
        var parameters = task.Model.Parameters();
        Optimizer optimizer = o.Optimizer == OptimizerKind.Sgd ? new Sgd(parameters, o.Lr, weightDecay: o.WeightDecay)
            : new Adam(parameters, o.Lr, o.Betas[0], o.Betas[1], o.Eps, o.WeightDecay, decoupled: o.Optimizer == OptimizerKind.Adamw) { DecayMask = decayMask };
        var options = new TrainerOptions
        {
            Seed = seed, MaxSteps = t.MaxSteps, MaxEpochs = t.MaxEpochs, MaxMinutes = t.MaxMinutes, Accumulation = o.Accumulation, ClipNorm = o.ClipNorm,
            ValidEvery = t.ValidEvery > 0 ? t.ValidEvery : perEpoch.Value, CheckpointEvery = t.CheckpointEvery, Patience = t.Patience,
            AverageLast = t.AverageLast, EmaDecay = t.EmaDecay, LogEvery = t.LogEvery, StopAtScore = t.StopAtScore,
        };
        if (options.Problem() is { } problem) throw Config("train: " + problem);
        return new Trainer(task, optimizer, Schedule(o, t, modelWidth, perEpoch), options);
    }

    private static LearningRateSchedule Schedule(OptimConfig o, TrainConfig t, int modelWidth, Lazy<int> perEpoch) => o.Schedule switch
    {
        ScheduleKind.InverseSqrt => new InverseSqrtSchedule(o.Lr, Math.Max(1, o.Warmup)),
        ScheduleKind.Noam => modelWidth > 0 ? new NoamSchedule(modelWidth, Math.Max(1, o.Warmup), o.Lr) : throw Config("optim.schedule: noam scales by d_model, which this model does not have"),
        ScheduleKind.Cosine => new CosineSchedule(o.Lr, o.Warmup, DecaySteps(o, t, perEpoch), o.MinLr),
        ScheduleKind.EpochDecay => new EpochDecaySchedule(o.Lr, perEpoch.Value, o.DecayStart, o.Gamma),
        _ => new ConstantSchedule(o.Lr),
    };

    // decay_steps, else the run's max_steps, else max_epochs of updates
    private static long DecaySteps(OptimConfig o, TrainConfig t, Lazy<int> perEpoch) =>
        o.DecaySteps > 0 ? o.DecaySteps
        : t.MaxSteps > 0 ? t.MaxSteps
        : t.MaxEpochs > 0 ? (long)t.MaxEpochs * perEpoch.Value
        : throw Config("optim.decay_steps: the cosine schedule decays over decay_steps, train.max_steps or train.max_epochs; set one");

    private static DataFormatException Config(string message) => new("config", 0, message);
}
