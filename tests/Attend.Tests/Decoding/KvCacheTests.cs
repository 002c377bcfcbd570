// The one KV cache: attention over a prefix read in place agrees to the bit with attention over the copied prefix,
// a cache that starts too small and grows decodes exactly what a roomy one does, and a reorder is an index gather.
using Attend.Autograd;
using Attend.Decoding;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Tests.Models;

namespace Attend.Tests.Decoding;

public sealed class KvCacheTests
{
    [Theory]
    [InlineData(1, 1, 1, 5)]
    [InlineData(3, 2, 1, 7)]
    [InlineData(2, 4, 3, 9)]
    public void CachedAttentionEqualsAttentionOverTheCopiedPrefixToTheBit(int n, int heads, int tq, int length)
    {
        using var _ = GradMode.Off();
        const int d = 8, capacity = 12;
        var rng = new Rng(5);
        var q = Tensor.Normal(rng, 0f, 1f, n, heads, tq, d);
        var keys = Tensor.Normal(rng, 0f, 1f, n, heads, capacity, d);
        var values = Tensor.Normal(rng, 0f, 1f, n, heads, capacity, d);
        var mask = new Mask(Enumerable.Range(0, tq * length).Select(i => i % length > length - tq + i / length).ToArray(), new Shape(tq, length));
        var expected = Attention.ScaledDotProduct(q, Ops.Slice(keys, 2, 0, length), Ops.Slice(values, 2, 0, length), mask).Context;
        Assert.Equal(expected.Data, Ops.CachedAttention(q, keys.Data, values.Data, capacity, length, mask).Data);
    }

    [Fact]
    public void ACacheThatGrowsDecodesExactlyWhatARoomyOneDoes()
    {
        using var _ = GradMode.Off();
        var m = DecoderLmTests.Tiny(4);
        int[] ids = [1, 5, 2, 7, 3, 3, 9, 0, 4, 2, 2, 6];
        var small = new LmKvCache(m, 1, capacity: 1);
        var roomy = new LmKvCache(m, 1, capacity: 64);
        int fed = 0;
        foreach (int piece in new[] { 3, 1, 1, 4, 1, 2 })
        {
            Assert.Equal(roomy.Feed(ids[fed..(fed + piece)], piece).Data, small.Feed(ids[fed..(fed + piece)], piece).Data);
            fed += piece;
        }
    }

    [Fact]
    public void AReorderKeepsTheGatheredRowsAndDropsTheOthers()
    {
        using var _ = GradMode.Off();
        var cache = new KvCache(layers: 1, rows: 3, heads: 2, headDim: 4, capacity: 2);
        var rng = new Rng(9);
        var q = Tensor.Normal(rng, 0f, 1f, 3, 2, 1, 4);
        var steps = Enumerable.Range(0, 3).Select(_ => (Tensor.Normal(rng, 0f, 1f, 3, 2, 1, 4), Tensor.Normal(rng, 0f, 1f, 3, 2, 1, 4))).ToArray();
        foreach (var (k, v) in steps)
        {
            cache.Attend(0, q, k, v);
            cache.Advance(1);
        }
        Assert.True(cache.Capacity >= 3);
        int[] parents = [2, 2, 0, 1];
        cache.Reorder(parents);
        Assert.Equal(4, cache.Rows);
        // the same cache built from the gathered rows of each step gives the same attention
        var rebuilt = new KvCache(1, 4, 2, 4, 8);
        foreach (var (k, v) in steps)
        {
            rebuilt.Attend(0, Rows(q, parents), Rows(k, parents), Rows(v, parents));
            rebuilt.Advance(1);
        }
        var (k4, v4) = (Tensor.Normal(rng, 0f, 1f, 4, 2, 1, 4), Tensor.Normal(rng, 0f, 1f, 4, 2, 1, 4));
        var q4 = Rows(q, parents);
        Assert.Equal(rebuilt.Attend(0, q4, k4, v4).Data, cache.Attend(0, q4, k4, v4).Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Reorder([4]));
        Assert.Throws<ArgumentException>(() => cache.Attend(0, q, k4, v4)); // 3 query rows against 4 cached ones
    }

    [Fact]
    public void BeamStepsAndReordersAreTheSameWhateverTheCacheStartsWith()
    {
        // the beam reorders every step and outgrows a one-position cache many times over
        var m = new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 13, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 2, DimFeedforward = 16, Dropout = 0f }, new Rng(2));
        m.Eval();
        int[] src = [4, 5, 6, 7, 2];
        using var _ = GradMode.Off();
        var small = IncrementalDecoder.Start(m, [src], outputLength: 1);
        var roomy = IncrementalDecoder.Start(m, [src], outputLength: 64);
        int[] tokens = [m.BosId];
        for (int step = 0; step < 6; step++)
        {
            Assert.Equal(roomy.Step(tokens).Data, small.Step(tokens).Data);
            int[] parents = step == 0 ? [0, 0, 0] : [1, 0, 2];
            small.Reorder(parents);
            roomy.Reorder(parents);
            tokens = [3 + step, 4, 5];
        }
    }

    private static Tensor Rows(Tensor x, int[] rows)
    {
        int per = x.Size / x.Shape[0];
        var data = new float[rows.Length * per];
        for (int r = 0; r < rows.Length; r++) Array.Copy(x.Data, rows[r] * per, data, r * per, per);
        var dims = x.Shape.ToArray();
        dims[0] = rows.Length;
        return new Tensor(data, new Shape(dims));
    }
}
