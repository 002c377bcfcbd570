// Timing helpers for `attend bench`: warm-up, then repeated runs; the median is reported, with min and max beside it.
using System.Diagnostics;
using Attend.Autograd;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Cli.Bench;

/// <summary>Summary of repeated timings in milliseconds, with the garbage collector's mean pause per run.</summary>
public sealed record Timing(double MedianMs, double MinMs, double MaxMs, int Repeats, double GcPauseMs = 0);

/// <summary>Runs an action repeatedly and summarises its wall time.</summary>
public static class Measure
{
    /// <summary>Warms up, then times <paramref name="action"/> at least <paramref name="minRepeats"/> times and for at least <paramref name="minSeconds"/>.</summary>
    public static Timing Run(Action action, int warmup = 2, int minRepeats = 5, double minSeconds = 0.5, int maxRepeats = 200)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new List<double>();
        var pausedBefore = GC.GetTotalPauseDuration();
        var total = Stopwatch.StartNew();
        while (samples.Count < minRepeats || (total.Elapsed.TotalSeconds < minSeconds && samples.Count < maxRepeats))
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double paused = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;
        samples.Sort();
        int n = samples.Count;
        double median = n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
        return new Timing(median, samples[0], samples[^1], n, paused / n);
    }

    /// <summary>
    /// Times training updates: each one zeroes the gradients, computes <paramref name="loss"/>, back-propagates, runs
    /// <paramref name="afterBackward"/> (e.g. gradient clipping) and steps the optimizer, with buffers recycled within
    /// the update. Returns the timing and every update's loss, warm-up included.
    /// </summary>
    public static (Timing Timing, List<float> Losses) TrainSteps(Optimizer optimizer, Func<Tensor> loss, double minSeconds,
        int warmup = 2, Action? afterBackward = null)
    {
        var losses = new List<float>();
        void Step()
        {
            using var recycling = TensorMemory.Recycle();
            optimizer.ZeroGrad();
            var l = loss();
            l.Backward();
            afterBackward?.Invoke();
            optimizer.Step();
            losses.Add(l.Data[0]);
        }
        return (Run(Step, warmup, minRepeats: 5, minSeconds: minSeconds), losses);
    }
}
