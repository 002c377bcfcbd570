// Rng: a seed fixes the stream, a saved state resumes it exactly, and values have the expected ranges and moments.
namespace Attend.Text.Tests;

public class RngTests
{
    [Fact]
    public void TheStreamIsXoshiro128StarStarSeededBySplitMix64()
    {
        // known answers from a transcription of Vigna's reference C code (SplitMix64 seeding two 64-bit words into the
        // four 32-bit words of xoshiro128**): the stream, and so every seeded run and batch order, is fixed by the
        // algorithm, not by a .NET version
        var rng = new Rng(1);
        Assert.Equal([1695105466u, 1423115009u, 634581793u, 1068227753u], Enumerable.Range(0, 4).Select(_ => rng.NextUInt()));
    }

    [Fact]
    public void SameSeedSameStreamDifferentSeedDifferentStream()
    {
        var a = new Rng(1);
        var b = new Rng(1);
        var c = new Rng(2);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 100).Select(_ => b.NextUInt()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 100).Select(_ => c.NextUInt()).ToArray());
    }

    [Fact]
    public void SavedStateResumesTheStreamExactly()
    {
        var a = new Rng(9);
        a.Normal();
        var state = a.GetState();
        var expected = Enumerable.Range(0, 50).Select(_ => a.Normal()).ToArray();
        var b = new Rng(0);
        b.SetState(state);
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => b.Normal()).ToArray());
    }

    [Fact]
    public void UniformAndNormalHaveTheRightMoments()
    {
        var r = new Rng(3);
        var u = Enumerable.Range(0, 100_000).Select(_ => (double)r.NextFloat()).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0.0, 0.9999999));
        Assert.InRange(u.Average(), 0.495, 0.505);
        var n = Enumerable.Range(0, 100_000).Select(_ => (double)r.Normal()).ToArray();
        double mean = n.Average(), var = n.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(var, 0.98, 1.02);
    }
}
