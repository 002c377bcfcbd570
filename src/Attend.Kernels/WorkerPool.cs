// A small pool of dedicated worker threads that spin briefly between jobs, for the kernels' fork-join loops.
// Kernels fork thousands of times per training step, often for a few hundred microseconds of work each; the .NET
// thread pool's wake-up latency then shows as idle time at every join (about 5% of a 1024³ GEMM on two threads).
// Workers here poll for the next job for a short while before they block, as OpenMP's active wait does.
// One caller at a time owns the pool; a nested or concurrent caller runs on the .NET thread pool instead.
// Each job is one immutable-shape object (generation, worker count, body, its own pending count), published with a
// single reference write: a worker that wakes late can only ever see a whole job, never one job's body with
// another's worker count, and a late decrement can only touch the job it belongs to.
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Attend.Kernels;

internal static class WorkerPool
{
    /// <summary>How long an idle worker polls for the next job before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private static readonly object SleepGate = new();
    private static readonly List<Thread> Threads = new();
    private static int _owned;         // 1 while a caller owns the pool
    private static long _generations;  // jobs published so far (written by the owner only)
    private static int _sleeping;      // workers blocked on SleepGate
    private static Job? _current;      // the latest job

    private sealed class Job(long generation, int workers, Action<int> body)
    {
        public readonly long Generation = generation;
        /// <summary>Workers 1..Workers take part (part 0 is the caller's).</summary>
        public readonly int Workers = workers;
        public Action<int>? Body = body;
        public int Pending = workers;
        public Exception? Failure;
    }

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
            var job = new Job(++_generations, parts - 1, body);
            Interlocked.Exchange(ref _current, job); // full fence: a worker that is going to sleep will see it
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
            while (Volatile.Read(ref job.Pending) != 0) wait.SpinOnce(sleep1Threshold: -1);
            job.Body = null; // do not keep the caller's closure (and the buffers it holds) alive until the next job
            Exception? failure = own ?? job.Failure;
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
            long seen = _generations; // the job about to be published is the first this worker must look at
            var thread = new Thread(() => WorkLoop(index, seen)) { IsBackground = true, Name = $"attend-worker-{index}" };
            Threads.Add(thread);
            thread.Start();
        }
    }

    private static void WorkLoop(int index, long seen)
    {
        while (true)
        {
            var job = WaitForJob(seen);
            seen = job.Generation;
            if (index > job.Workers) continue; // this job needs fewer workers; its caller does not wait for us
            try
            {
                job.Body!(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref job.Failure, e, null);
            }
            Interlocked.Decrement(ref job.Pending);
        }
    }

    /// <summary>Polls for a job newer than generation <paramref name="seen"/>, then blocks; returns it.</summary>
    private static Job WaitForJob(long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        int spins = 0;
        while (true)
        {
            var job = Volatile.Read(ref _current);
            if (job is not null && job.Generation != seen) return job;
            if (++spins % 64 != 0)
            {
                Thread.SpinWait(8);
                continue;
            }
            if (Stopwatch.GetTimestamp() < deadline) continue;
            lock (SleepGate)
            {
                Interlocked.Increment(ref _sleeping); // full fence: pairs with the caller's exchange of _current
                while ((job = Volatile.Read(ref _current)) is null || job.Generation == seen) Monitor.Wait(SleepGate);
                Interlocked.Decrement(ref _sleeping);
                return job;
            }
        }
    }
}
