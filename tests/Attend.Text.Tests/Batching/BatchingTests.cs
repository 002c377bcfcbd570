// Token-budget batching: every example exactly once per epoch, budgets respected, lengths bucketed, the same seed
// and epoch give the same batches and different epochs differ; padding and masks.
using Attend.Text.Batching;

namespace Attend.Text.Tests.Batching;

public class BatchingTests
{
    private static List<Example> Examples(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new Example(new int[rng.Next(1, 40)], new int[rng.Next(1, 40)])).ToList();
    }

    [Fact]
    public void EachExampleOncePerEpochWithinTheBudget()
    {
        var ex = Examples(1000, 1);
        var batches = new TokenBatcher(ex, maxTokens: 600, seed: 3).Epoch(0);
        Assert.Equal(Enumerable.Range(0, 1000), batches.SelectMany(b => b.Indices).Order());
        foreach (var b in batches)
        {
            Assert.True(b.PaddedTokens <= 600 || b.Indices.Length == 1, $"batch of {b.Indices.Length} × {b.MaxSourceLength + b.MaxTargetLength} exceeds the budget");
            Assert.Equal(b.Indices.Max(i => ex[i].Source.Length), b.MaxSourceLength);
        }
        double padded = batches.Sum(b => b.PaddedTokens), real = ex.Sum(e => e.Source.Length + e.Target.Length);
        Assert.True(real / padded > 0.7, $"bucketing should keep padding low, got {real / padded:P0} real tokens");
    }

    [Fact]
    public void SameSeedAndEpochReproduceDifferentEpochsDiffer()
    {
        var ex = Examples(300, 2);
        var a = new TokenBatcher(ex, 500, seed: 9).Epoch(4);
        var b = new TokenBatcher(ex, 500, seed: 9).Epoch(4);
        var c = new TokenBatcher(ex, 500, seed: 9).Epoch(5);
        Assert.Equal(a.Select(x => string.Join(",", x.Indices)), b.Select(x => string.Join(",", x.Indices)));
        Assert.NotEqual(a.Select(x => string.Join(",", x.Indices)), c.Select(x => string.Join(",", x.Indices)));
    }

    [Fact]
    public void PaddingAddsBosEosAndMasksPadding()
    {
        var (ids, mask, t, lengths) = Padding.Pad([[7, 8], [9]], padId: 0, prefix: 2, suffix: 3);
        Assert.Equal(4, t);
        Assert.Equal([2, 7, 8, 3, 2, 9, 3, 0], ids);
        Assert.Equal([false, false, false, false, false, false, false, true], mask);
        Assert.Equal([4, 3], lengths);
    }
}
