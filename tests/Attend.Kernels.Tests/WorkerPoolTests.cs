// The spinning worker pool behind Parallelism.Run: every part runs exactly once, failures reach the caller and leave
// the pool usable, and nested or concurrent callers (which fall back to the .NET thread pool) finish correctly.
namespace Attend.Kernels.Tests;

public class WorkerPoolTests
{
    [Fact]
    public async Task EveryPartRunsExactlyOnceWhateverThePartCount()
    {
        // Alternating part counts leave some workers out of a job; a worker that wakes late must neither run a part
        // twice nor take a later job's part (an earlier version did both, and its caller then waited forever).
        var run = Task.Run(() =>
        {
            for (int round = 0; round < 20_000; round++)
            {
                int parts = round % 3 == 0 ? 4 : 1 + round % 2;
                var hits = new int[parts];
                bool ran = WorkerPool.TryRun(parts, w => Interlocked.Increment(ref hits[w]));
                if (!ran) continue; // another test owned the pool at that moment
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        }, TestContext.Current.CancellationToken);
        await run.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken); // a lost wake-up or a miscount fails here instead of hanging
    }

    [Fact]
    public void AFailingWorkerPartReachesTheCallerAndThePoolKeepsWorking()
    {
        // other tests in this class may own the pool for a while (20,000 rounds): wait for it, sleeping between tries,
        // rather than giving up after a fixed number of immediate tries (which could all fall inside one busy spell)
        bool ran = false;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; !ran && waited.Elapsed < TimeSpan.FromMinutes(2); attempt++)
        {
            if (attempt > 0) Thread.Sleep(1);
            try
            {
                ran = WorkerPool.TryRun(2, w =>
                {
                    if (w == 1) throw new InvalidOperationException("part 1 failed");
                });
            }
            catch (InvalidOperationException e)
            {
                Assert.Equal("part 1 failed", e.Message);
                ran = true;
                continue;
            }
            Assert.False(ran, "the failing part's exception was swallowed");
        }
        Assert.True(ran, "the pool was never free");

        long sum = 0;
        Parallelism.Run(1000, 2, (start, end) =>
        {
            for (int i = start; i < end; i++) Interlocked.Add(ref sum, i);
        });
        Assert.Equal(999L * 1000 / 2, sum);
    }

    [Fact]
    public async Task NestedAndConcurrentLoopsCoverEveryIndex()
    {
        const int Outer = 8, Inner = 500;
        var seen = new int[Outer * Inner];
        var callers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int rep = 0; rep < 50; rep++)
            {
                Parallelism.Run(Outer, 2, (o0, o1) =>
                {
                    for (int o = o0; o < o1; o++)
                    {
                        int row = o;
                        Parallelism.Run(Inner, 2, (i0, i1) =>
                        {
                            for (int i = i0; i < i1; i++) Interlocked.Increment(ref seen[row * Inner + i]);
                        });
                    }
                });
            }
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.All(seen, count => Assert.Equal(4 * 50, count));
    }
}
