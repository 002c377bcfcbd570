// Cross-attention maps: one (T, S) map per decoder layer whose rows are distributions over the source.
using Attend.Models;
using Attend.Decoding;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Decoding;

public class CrossAttentionMapTests
{
    [Fact]
    public void EachLayerGivesRowsThatSumToOne()
    {
        var model = new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 30, DModel = 16, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 2, DimFeedforward = 32, Dropout = 0f }, new Rng(3));
        model.Eval();
        int[] src = [5, 6, 7, 8, 2];
        int[] output = [9, 10, 2];
        var maps = CrossAttentionMap.Compute(model, src, output);
        Assert.Equal(2, maps.Count);
        foreach (var map in maps)
        {
            Assert.Equal(output.Length * src.Length, map.Length);
            for (int t = 0; t < output.Length; t++) Assert.Equal(1f, map.AsSpan(t * src.Length, src.Length).ToArray().Sum(), 4);
        }
        Assert.NotEqual(maps[0], maps[1]);
        Assert.Throws<ArgumentException>(() => CrossAttentionMap.Compute(model, [], output));
    }
}
