// Masked pooling: padding never changes the pooled vector (whatever it holds), gradients match finite differences with
// a random cotangent, and nothing flows into padded positions.
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class SequencePoolingTests
{
    private static Mask Padding(int[] lengths, int t) => Mask.FromLengths(lengths, t);

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.Max)]
    [InlineData(Pooling.Cls)]
    public void PaddingDoesNotChangeThePooledVector(Pooling pooling)
    {
        var rng = new Rng(3);
        var x = Tensor.Normal(rng, 0f, 1f, 2, 5, 3);
        var lengths = new[] { 5, 2 };
        var pooled = SequencePooling.Pool(x, Padding(lengths, 5), pooling);
        var y = new Tensor((float[])x.Data.Clone(), x.Shape);
        for (int t = 2; t < 5; t++)
            for (int c = 0; c < 3; c++) y.Data[(5 + t) * 3 + c] = 1000f; // padding of row 1 large enough to win an unmasked max
        var again = SequencePooling.Pool(y, Padding(lengths, 5), pooling);
        Assert.Equal(pooled.Data, again.Data);
        // row 1 alone, unpadded
        var row = new Tensor(x.Data.AsSpan(15, 6).ToArray(), new Shape(1, 2, 3));
        var alone = SequencePooling.Pool(row, Padding([2], 2), pooling);
        Assert.Equal(alone.Data, pooled.Data.AsSpan(3, 3).ToArray());
    }

    [Fact]
    public void MeanAndMaxAgreeWithHandComputedValues()
    {
        var x = new Tensor([1f, -2f, 3f, 4f, 5f, -6f, 100f, 100f], new Shape(2, 2, 2));
        var pad = Padding([2, 1], 2);
        Assert.Equal([2f, 1f, 5f, -6f], SequencePooling.Pool(x, pad, Pooling.Mean).Data);
        Assert.Equal([3f, 4f, 5f, -6f], SequencePooling.Pool(x, pad, Pooling.Max).Data);
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.Max)]
    [InlineData(Pooling.Cls)]
    public void GradientsMatchFiniteDifferencesAndSkipPadding(Pooling pooling)
    {
        var rng = new Rng(11);
        var x = GradCheck.Leaf(rng, [3, 4, 5]);
        var pad = Padding([4, 1, 3], 4);
        GradCheck.Check($"pool {pooling}", a => SequencePooling.Pool(a[0], pad, pooling), [x], h: 1e-3f);
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 4; t++)
                if (pad.Data[b * 4 + t])
                    for (int c = 0; c < 5; c++) Assert.Equal(0f, x.Grad![(b * 4 + t) * 5 + c]);
    }

    [Fact]
    public void AFullyPaddedRowIsRefusedForMean()
    {
        var x = Tensor.Zeros(1, 2, 2);
        Assert.Throws<ArgumentException>(() => SequencePooling.Pool(x, Padding([0], 2), Pooling.Mean));
        Assert.Throws<ArgumentException>(() => SequencePooling.Parse("sum"));
    }
}
