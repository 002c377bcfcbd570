// Attention straight from the projections (Ops.SideBySideHeadsAttention, BERT's inference path) equals the composed
// form it replaces (split the heads with permutes, scaled dot-product attention, join them) to the bit: with and
// without a padding mask, one head or many, one sequence or several, queries and keys of different lengths.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class SideBySideHeadsAttentionTests
{
    [Theory]
    [InlineData(1, 1, 5, 5, false)]
    [InlineData(1, 4, 13, 13, true)]
    [InlineData(3, 2, 7, 9, true)]
    [InlineData(2, 12, 40, 40, false)]
    [InlineData(4, 3, 33, 33, true)]
    public void EqualsSplittingTheHeadsWithPermutesToTheBit(int batch, int heads, int tq, int tk, bool masked)
    {
        const int d = 8;
        int c = heads * d;
        var rng = new Rng((ulong)(batch * 100 + heads * 10 + tq));
        var q = Tensor.Uniform(rng, -1f, 1f, batch, tq, c);
        var k = Tensor.Uniform(rng, -1f, 1f, batch, tk, c);
        var v = Tensor.Uniform(rng, -1f, 1f, batch, tk, c);
        Mask? mask = null;
        if (masked)
        {
            var data = new bool[batch * heads * tq * tk];
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < heads * tq; i++)
                    for (int j = tk - b; j < tk; j++) data[(b * heads * tq + i) * tk + j] = true;    // sequence b has b padded keys
            mask = new Mask(data, new Shape(batch, heads, tq, tk));
        }
        using var _ = GradMode.Off();
        Tensor Heads(Tensor y, int t) => Ops.Permute(Ops.Reshape(y, batch, t, heads, d), 0, 2, 1, 3);
        var composed = Attention.ScaledDotProduct(Heads(q, tq), Heads(k, tk), Heads(v, tk), mask).Context;
        var expected = Ops.Reshape(Ops.Permute(composed, 0, 2, 1, 3), batch, tq, c).Data;
        var actual = Ops.SideBySideHeadsAttention(q, k, v, heads, mask).Data;
        Assert.Equal(expected.AsSpan(0, batch * tq * c).ToArray(), actual.AsSpan(0, batch * tq * c).ToArray());
    }

    [Fact]
    public void ItRefusesInputsThatNeedGradientsAndShapesThatDoNotSplit()
    {
        var x = Tensor.Uniform(new Rng(1), -1f, 1f, 1, 3, 8);
        var grad = new Tensor((float[])x.Data.Clone(), x.Shape, requiresGrad: true);
        Assert.Contains("inference", Assert.ThrowsAny<Exception>(() => Ops.SideBySideHeadsAttention(grad, x, x, 2, null)).Message);
        using var _ = GradMode.Off();
        Assert.Contains("3 heads", Assert.ThrowsAny<Exception>(() => Ops.SideBySideHeadsAttention(x, x, x, 3, null)).Message);
    }
}
