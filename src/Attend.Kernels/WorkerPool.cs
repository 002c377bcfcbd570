// A small pool of dedicated worker threads that spin briefly between jobs, for the kernels' fork-join loops.
// Kernels fork thousands of times per training step, often for a few hundred microseconds of work each; the .NET
// thread pool's wake-up latency then shows as idle time at every join (about 5% of a 1024³ GEMM on two threads).
// Workers here poll for the next job for a short while before they block, as OpenMP's active wait does.
// One caller at a time owns the pool; a nested or concurrent caller runs on the .NET thread pool instead.
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Attend.Kernels;

internal static class WorkerPool
{
    /// <summary>How long an idle worker polls for the next job before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private static readonly object SleepGate = new();
    private static readonly List<Thread> Threads = new();
    private static int _owned;       // 1 while a caller owns the pool
    private static long _generation; // bumped once per job
    private static int _sleeping;    // workers blocked on SleepGate
    private static int _pending;     // workers still running the current job
    private static int _jobWorkers;  // workers taking part in the current job (besides the caller)
    private static Action<int>? _job;
    private static Exception? _failure;

    /// <summary>
    /// Runs <paramref name="body"/>(w) for w in [0, <paramref name="parts"/>): part 0 on the calling thread, the rest on
    /// pool workers. Returns false, without running anything, when the pool is owned by another (or the same) caller.
    /// </summary>
    public static bool TryRun(int parts, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref _owned, 1, 0) != 0) return false;
        try
        {
            EnsureWorkers(parts - 1);
            _job = body;
            _failure = null;
            _jobWorkers = parts - 1;
            Volatile.Write(ref _pending, parts - 1);
            Interlocked.Increment(ref _generation); // full fence: a worker that is going to sleep will see it
            if (Volatile.Read(ref _sleeping) > 0)
            {
                lock (SleepGate) Monitor.PulseAll(SleepGate);
            }

            Exception? own = null;
            try
            {
                body(0);
            }
            catch (Exception e)
            {
                own = e;
            }

            var wait = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) wait.SpinOnce(sleep1Threshold: -1);
            _job = null;
            Exception? failure = own ?? _failure;
            if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref _owned, 0);
        }
    }

    private static void EnsureWorkers(int count)
    {
        while (Threads.Count < count)
        {
            int index = Threads.Count + 1;
            long before = Volatile.Read(ref _generation); // the job about to start is the first this worker must see
            var thread = new Thread(() => WorkLoop(index, before)) { IsBackground = true, Name = $"attend-worker-{index}" };
            Threads.Add(thread);
            thread.Start();
        }
    }

    private static void WorkLoop(int index, long seen)
    {
        while (true)
        {
            seen = WaitForJob(seen);
            if (index > _jobWorkers) continue; // this job needs fewer workers
            try
            {
                _job!(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Polls for a generation after <paramref name="seen"/>, then blocks; returns the new generation.</summary>
    private static long WaitForJob(long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        int spins = 0;
        while (true)
        {
            long now = Volatile.Read(ref _generation);
            if (now != seen) return now;
            if (++spins % 64 != 0)
            {
                Thread.SpinWait(8);
                continue;
            }
            if (Stopwatch.GetTimestamp() < deadline) continue;
            lock (SleepGate)
            {
                Interlocked.Increment(ref _sleeping); // full fence: pairs with the caller's increment of _generation
                while (Volatile.Read(ref _generation) == seen) Monitor.Wait(SleepGate);
                Interlocked.Decrement(ref _sleeping);
            }
            deadline = Stopwatch.GetTimestamp() + SpinTicks;
        }
    }
}
