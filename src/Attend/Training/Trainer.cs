// The training loop (fairseq's train.py in one class): accumulate gradients over token-budget batches, clip, step the
// optimizer on a schedule, validate every N updates, keep the best model, stop early, checkpoint atomically and resume
// exactly. A run directory holds:
//   train_state.safetensors  the resumable state (see TrainState)
//   snapshots/step-N.safetensors  weights of the last validations, for checkpoint averaging
//   model/                   the best model directory so far (config.json, model.safetensors, tokenizer.json)
//   curve.csv, curve.svg     the learning curve
// With options.EmaDecay, an exponential moving average of the weights is kept; validations, the exported model and the
// snapshots are of the average, while the optimizer steps the raw weights.
using System.Diagnostics;
using Attend.Autograd;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Training;

/// <summary>Trains a task.</summary>
public sealed class Trainer(ITrainingTask task, Optimizer optimizer, LearningRateSchedule schedule, TrainerOptions options)
{
    private readonly Dropout[] _dropouts = task.Model.Modules().OfType<Dropout>().ToArray();
    private readonly ExponentialMovingAverage? _ema = options.EmaDecay is > 0 and < 1 ? new ExponentialMovingAverage(task.Model, options.EmaDecay) : null;

    /// <summary>The moving average of the weights (options.EmaDecay), or null.</summary>
    public ExponentialMovingAverage? Average => _ema;

    // what TrainerSetup built, for its tests
    internal Optimizer Optimizer => optimizer;
    internal LearningRateSchedule Schedule => schedule;
    internal TrainerOptions Options => options;

    /// <summary>
    /// Trains into <paramref name="runDir"/>. With <paramref name="resume"/> and a checkpoint there, continues from it
    /// exactly; otherwise starts fresh. Cancellation stops after the current update, without a checkpoint (like a kill).
    /// </summary>
    public TrainingResult Run(string runDir, bool resume, ITrainingObserver? observer = null, CancellationToken cancel = default)
    {
        if (options.Problem() is { } problem) throw new ArgumentException("trainer options: " + problem);
        observer ??= new SilentObserver();
        Directory.CreateDirectory(runDir);
        string statePath = Path.Combine(runDir, TrainState.FileName);
        var c = new TrainCounters { Seed = options.Seed };
        _ema?.Reset();
        if (resume && File.Exists(statePath))
        {
            c = TrainState.Load(statePath, task.Model, optimizer, _ema);
            if (c.Seed != options.Seed) throw new Text.Corpora.DataFormatException(statePath, 0, $"this run was trained with seed {c.Seed}, the config now has seed {options.Seed}; resume with the same seed");
            observer.OnMessage($"resumed from step {c.Step} (epoch {c.Epoch + 1}, batch {c.BatchIndex + 1})");
        }
        var loop = new LoopState(c);
        var clock = Stopwatch.StartNew();
        double Elapsed() => c.ElapsedSeconds + clock.Elapsed.TotalSeconds;
        string? stop = null;
        bool cancelled = false;
        var batches = task.Batches(loop.Epoch);
        double reportLoss = 0;
        long reportTokens = 0, reportStart = Stopwatch.GetTimestamp();
        task.Model.Train();
        while (stop is null)
        {
            stop = LimitReached(loop, Elapsed());
            if (stop is not null) break;
            if (cancel.IsCancellationRequested)
            {
                (stop, cancelled) = (CancelledReason, true);
                break;
            }
            // one update: options.Accumulation batches, gradients summed with weight = tokens, then divided by all tokens
            optimizer.ZeroGrad();
            long tokens = 0;
            double lossSum = 0;
            for (int micro = 0; micro < options.Accumulation; micro++)
            {
                while (loop.BatchIndex >= batches.Count)
                {
                    loop.Epoch++;
                    loop.BatchIndex = 0;
                    batches = task.Batches(loop.Epoch);
                    if (batches.Count == 0) throw new InvalidOperationException("the training set gave no batches");
                }
                ReseedDropout(loop.Step, micro);
                // the batch's activations and intermediate gradients are recycled for the next one (TensorMemory)
                using (TensorMemory.Recycle())
                {
                    var (loss, n) = task.Loss(batches[loop.BatchIndex++]);
                    if (n > 0) loss.Backward(Tensor.Scalar(n));
                    lossSum += loss.Data[0] * (double)n;
                    tokens += n;
                }
            }
            if (tokens == 0) continue;
            GradientClipping.ScaleGradients(optimizer.Parameters, 1f / tokens);
            if (options.ClipNorm > 0) GradientClipping.ClipGradNorm(optimizer.Parameters, options.ClipNorm);
            optimizer.LearningRate = schedule.At(loop.Step + 1);
            optimizer.Step();
            loop.Step++;
            _ema?.Update(loop.Step);
            if (!double.IsFinite(lossSum)) throw new InvalidOperationException($"the training loss became {lossSum / tokens} at step {loop.Step}; lower the learning rate or check the data");
            loop.LossSum += lossSum;
            loop.LossTokens += tokens;
            reportLoss += lossSum;
            reportTokens += tokens;
            if (loop.Step % options.LogEvery == 0)
            {
                double seconds = Stopwatch.GetElapsedTime(reportStart).TotalSeconds;
                observer.OnProgress(new StepReport(loop.Step, loop.Epoch, reportLoss / reportTokens, optimizer.LearningRate,
                    reportTokens / Math.Max(seconds, 1e-9), Elapsed(), Fraction(loop, Elapsed(), batches.Count), task.Unit));
                (reportLoss, reportTokens, reportStart) = (0, 0, Stopwatch.GetTimestamp());
            }
            bool validate = loop.Step % options.ValidEvery == 0 || LimitReached(loop, Elapsed()) is not null;
            if (validate) stop = ValidateAndKeep(runDir, loop, Elapsed(), observer);
            int every = options.CheckpointEvery > 0 ? options.CheckpointEvery : options.ValidEvery;
            if (validate || loop.Step % every == 0)
                TrainState.Save(statePath, task.Model, optimizer, loop.ToCounters(options.Seed, Elapsed()), _ema);
        }
        if (!cancelled && options.AverageLast > 1) AverageSnapshots(runDir, loop, observer);
        observer.OnMessage($"stopped at step {loop.Step}: {stop}");
        return new TrainingResult(loop.Step, loop.BestScore, stop!, loop.Curve.Select(p => p.ToPoint()).ToList()) { Cancelled = cancelled };
    }

    private void ReseedDropout(long step, int micro)
    {
        for (int i = 0; i < _dropouts.Length; i++) _dropouts[i].Reseed(Rng.Derive((ulong)options.Seed, step, micro, i));
    }

    private const string CancelledReason = "cancelled";

    private string? LimitReached(LoopState loop, double elapsed) =>
        options.MaxSteps > 0 && loop.Step >= options.MaxSteps ? $"reached max_steps {options.MaxSteps}"
        : options.MaxEpochs > 0 && loop.Epoch >= options.MaxEpochs ? $"reached max_epochs {options.MaxEpochs}"
        : options.MaxMinutes > 0 && elapsed >= options.MaxMinutes * 60 ? $"reached max_minutes {options.MaxMinutes}"
        : options.Patience > 0 && loop.BadValidations >= options.Patience ? $"no better validation score for {options.Patience} validations (patience)"
        : null;

    private double Fraction(LoopState loop, double elapsed, int batchesInEpoch)
    {
        double f = 0;
        if (options.MaxSteps > 0) f = Math.Max(f, (double)loop.Step / options.MaxSteps);
        if (options.MaxMinutes > 0) f = Math.Max(f, elapsed / (options.MaxMinutes * 60));
        if (options.MaxEpochs > 0) f = Math.Max(f, (loop.Epoch + (double)loop.BatchIndex / Math.Max(1, batchesInEpoch)) / options.MaxEpochs);
        return Math.Min(1, f);
    }

    /// <summary>Validates, records the curve point, exports a better model and keeps a snapshot (all of the weight average, if kept); returns a stop reason or null.</summary>
    private string? ValidateAndKeep(string runDir, LoopState loop, double elapsed, ITrainingObserver observer)
    {
        _ema?.Swap();
        try
        {
            return ValidateAndKeepCurrent(runDir, loop, elapsed, observer);
        }
        finally
        {
            _ema?.Swap();
        }
    }

    private string? ValidateAndKeepCurrent(string runDir, LoopState loop, double elapsed, ITrainingObserver observer)
    {
        observer.OnValidating(loop.Step);
        var v = Evaluate();
        bool best = v.Score > loop.BestScore;
        if (best)
        {
            loop.BestScore = v.Score;
            loop.BadValidations = 0;
            task.Export(Path.Combine(runDir, "model"));
        }
        else loop.BadValidations++;
        var point = new CurvePoint(loop.Step, elapsed, loop.LossTokens > 0 ? loop.LossSum / loop.LossTokens : double.NaN, v.Loss, v.Metrics, best);
        loop.Curve.Add(CurvePointState.From(point));
        (loop.LossSum, loop.LossTokens) = (0, 0);
        LearningCurve.Write(runDir, loop.Curve.Select(p => p.ToPoint()).ToList());
        if (options.AverageLast > 1) KeepSnapshot(runDir, loop);
        observer.OnValidation(point);
        return options.StopAtScore is { } target && v.Score >= target ? $"validation score {v.Score:G4} reached the target {target:G4}" : null;
    }

    private Validation Evaluate()
    {
        TensorMemory.ReleaseBetweenPhases();
        task.Model.Eval();
        try
        {
            using var _ = GradMode.Off();
            return task.Validate();
        }
        finally
        {
            task.Model.Train();
            TensorMemory.ReleaseBetweenPhases();
        }
    }

    private void KeepSnapshot(string runDir, LoopState loop)
    {
        string dir = Path.Combine(runDir, "snapshots");
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter().Metadata("step", loop.Step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ModuleWeights.Add(writer, task.Model);
        writer.Save(SnapshotPath(runDir, loop.Step));
        loop.Snapshots.Add(loop.Step);
        while (loop.Snapshots.Count > options.AverageLast)
        {
            File.Delete(SnapshotPath(runDir, loop.Snapshots[0]));
            loop.Snapshots.RemoveAt(0);
        }
    }

    private static string SnapshotPath(string runDir, long step) => Path.Combine(runDir, "snapshots", $"step-{step:D8}.safetensors");

    /// <summary>Averages the kept snapshots; exports the average when it validates better than the best single model.</summary>
    private void AverageSnapshots(string runDir, LoopState loop, ITrainingObserver observer)
    {
        var paths = loop.Snapshots.Select(s => SnapshotPath(runDir, s)).Where(File.Exists).ToList();
        if (paths.Count < 2) return;
        var current = task.Model.StateTensors().Select(p => (float[])p.Data.Clone()).ToList();
        CheckpointAveraging.Average(task.Model, paths);
        var v = Evaluate();
        if (v.Score > loop.BestScore)
        {
            observer.OnMessage($"average of the last {paths.Count} checkpoints scores {v.Score:F2} (best single {loop.BestScore:F2}): exported");
            loop.BestScore = v.Score;
            task.Export(Path.Combine(runDir, "model"));
        }
        else observer.OnMessage($"average of the last {paths.Count} checkpoints scores {v.Score:F2}, not above the best single {loop.BestScore:F2}: kept the best");
        var state = task.Model.StateTensors();
        for (int i = 0; i < state.Count; i++) current[i].CopyTo(state[i].Data, 0);
    }

    /// <summary>Mutable copy of the counters while the loop runs.</summary>
    private sealed class LoopState(TrainCounters c)
    {
        public long Step = c.Step;
        public int Epoch = c.Epoch;
        public int BatchIndex = c.BatchIndex;
        public double BestScore = c.BestScore;
        public int BadValidations = c.BadValidations;
        public double LossSum = c.LossSum;
        public long LossTokens = c.LossTokens;
        public readonly List<CurvePointState> Curve = [.. c.Curve];
        public readonly List<long> Snapshots = [.. c.Snapshots];

        public TrainCounters ToCounters(int seed, double elapsed) => new()
        {
            Seed = seed, Step = Step, Epoch = Epoch, BatchIndex = BatchIndex, ElapsedSeconds = elapsed, BestScore = BestScore,
            BadValidations = BadValidations, LossSum = LossSum, LossTokens = LossTokens, Curve = [.. Curve], Snapshots = [.. Snapshots],
        };
    }
}
