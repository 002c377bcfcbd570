// Language-model decoding: cached logits equal full-prefix logits (prompt fed at once or in pieces), cached sampling
// equals uncached sampling also after the window slides past the context, a seed reproduces a generation, and bad
// requests are refused.
using Attend.Autograd;
using Attend.Decoding;
using Attend.Tensors;
using Attend.Tests.Models;

namespace Attend.Tests.Decoding;

public class LmGenerationTests
{
    [Fact]
    public void CachedLogitsEqualFullPrefixLogits()
    {
        using var _ = GradMode.Off();
        var m = DecoderLmTests.Tiny(5);
        int[] ids = [1, 5, 2, 7, 3, 3, 9, 0, 4];
        var cache = new LmKvCache(m, 1);
        int fed = 0;
        foreach (int piece in new[] { 3, 1, 1, 4 })
        {
            var cached = cache.Feed(ids[fed..(fed + piece)], piece).Data;
            fed += piece;
            var full = m.Forward(ids[..fed], 1, fed);
            var expected = Ops.Slice(full, 1, fed - 1, 1).Data;
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], cached[i], 5e-6f);
        }
        Assert.Equal(ids.Length, cache.Length);
    }

    [Fact]
    public void BatchedCacheMatchesEachSequenceAlone()
    {
        using var _ = GradMode.Off();
        var m = DecoderLmTests.Tiny(6);
        int[] a = [1, 2, 3], b = [4, 5, 6];
        var both = new LmKvCache(m, 2).Feed([.. a, .. b], 3).Data;
        var alone = new LmKvCache(m, 1).Feed(b, 3).Data;
        int v = m.Config.VocabSize;
        for (int i = 0; i < v; i++) Assert.Equal(alone[i], both[v + i], 5e-6f);
    }

    [Theory]
    [InlineData(0f, 0, 1f)]
    [InlineData(1f, 0, 1f)]
    [InlineData(0.8f, 5, 0.9f)]
    public void CachedSamplingEqualsUncachedBeyondTheContext(float temperature, int topK, float topP)
    {
        var m = DecoderLmTests.Tiny(7, context: 6);
        var options = new SamplingOptions(temperature, topK, topP);
        var cached = new LmGenerator(m).Generate([1, 2], 20, options, new Rng(9)).ToList();
        var uncached = new LmGenerator(m).Generate([1, 2], 20, options, new Rng(9), useCache: false).ToList();
        Assert.Equal(20, cached.Count);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void ASeedReproducesAGenerationAndAnotherSeedDoesNot()
    {
        var m = DecoderLmTests.Tiny(8);
        var options = new SamplingOptions(1.5f);
        var a = new LmGenerator(m).Generate([3], 30, options, new Rng(1)).ToList();
        var b = new LmGenerator(m).Generate([3], 30, options, new Rng(1)).ToList();
        var c = new LmGenerator(m).Generate([3], 30, options, new Rng(2)).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void GenerationStopsAtTheStopToken()
    {
        var m = DecoderLmTests.Tiny(9);
        var greedy = new LmGenerator(m).Generate([3], 10, new SamplingOptions(0f), new Rng(1)).ToList();
        int stop = greedy[2];
        var stopped = new LmGenerator(m).Generate([3], 10, new SamplingOptions(0f), new Rng(1), stop: stop).ToList();
        Assert.Equal(greedy[..(greedy.IndexOf(stop) + 1)], stopped);
    }

    [Fact]
    public void BadRequestsAreRefused()
    {
        var m = DecoderLmTests.Tiny();
        var g = new LmGenerator(m);
        Assert.Throws<ArgumentException>(() => g.Generate([], 5, new SamplingOptions(), new Rng(1)));
        Assert.Throws<ArgumentException>(() => g.Generate([99], 5, new SamplingOptions(), new Rng(1)));
        Assert.Throws<ArgumentException>(() => g.Generate([1], 5, new SamplingOptions(TopP: 0f), new Rng(1)));
        Assert.Throws<ArgumentException>(() => new LmKvCache(m, 1).Feed(Enumerable.Repeat(1, 13).ToArray(), 13));
    }
}
