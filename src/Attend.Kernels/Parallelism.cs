// The one knob for the degree of parallelism, and a loop that splits work only over outputs each worker owns.
// A result never depends on how many threads ran it: every output range is computed by exactly one worker,
// in the same arithmetic order as a single thread would use.
namespace Attend.Kernels;

/// <summary>Degree of parallelism for every kernel, set once by the host (the CLI's <c>--threads</c>).</summary>
public static class Parallelism
{
    private static int _degree = Environment.ProcessorCount;

    /// <summary>Number of worker threads kernels may use (≥ 1). Defaults to the processor count.</summary>
    public static int Degree
    {
        get => _degree;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "the thread count must be at least 1");
            _degree = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over <paramref name="count"/> items in contiguous chunks, one chunk
    /// per worker, when the work (<paramref name="count"/> × <paramref name="costPerItem"/>) is worth a fork.
    /// </summary>
    public static void For(int count, long costPerItem, Action<int, int> body)
    {
        Run(count, Workers(count, costPerItem), body);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over <paramref name="count"/> items cut into <paramref name="workers"/>
    /// contiguous chunks (<see cref="Chunk"/>), one per worker; inline when one worker suffices.
    /// </summary>
    public static void Run(int count, int workers, Action<int, int> body)
    {
        workers = Math.Min(workers, count);
        if (workers <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        void Part(int w)
        {
            (int start, int end) = Chunk(count, workers, w);
            if (start < end) body(start, end);
        }
        if (WorkerPool.TryRun(workers, Part)) return;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Part);
    }

    /// <summary>How many workers a loop of this size should use (1 for work too small to split).</summary>
    public static int Workers(int count, long costPerItem)
    {
        const long minWorkPerWorker = 32_768;
        long total = (long)count * Math.Max(1, costPerItem);
        long byWork = Math.Max(1, total / minWorkPerWorker);
        return (int)Math.Min(Math.Min(_degree, count), byWork);
    }

    /// <summary>The half-open range of chunk <paramref name="index"/> when <paramref name="count"/> items are cut into <paramref name="parts"/>.</summary>
    public static (int Start, int End) Chunk(int count, int parts, int index)
    {
        int baseSize = count / parts, rest = count % parts;
        int start = index * baseSize + Math.Min(index, rest);
        return (start, start + baseSize + (index < rest ? 1 : 0));
    }
}
