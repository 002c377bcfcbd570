// Multi-head attention with a head width other than E/H (Keras's key_dim): asking for E/H is exactly PyTorch's module,
// a wider head changes only the projection shapes, and gradients match finite differences.
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class MultiheadHeadWidthTests
{
    [Fact]
    public void AHeadWidthOfEOverHIsPyTorchsModule()
    {
        var x = Tensor.Normal(new Rng(4), 0f, 1f, 2, 5, 8);
        var plain = new MultiheadAttention(8, 2, new Rng(1)).Forward(x, x, x).Output;
        var explicitWidth = new MultiheadAttention(8, 2, new Rng(1), headDim: 4).Forward(x, x, x).Output;
        Assert.Equal(plain.Data, explicitWidth.Data);
    }

    [Fact]
    public void AWiderHeadChangesOnlyTheProjectionShapes()
    {
        var mha = new MultiheadAttention(6, 2, new Rng(2), headDim: 5);
        Assert.Equal(new Shape(30, 6), mha.InProjWeight.Shape);
        Assert.Equal(new Shape(6, 10), mha.OutProj.Weight.Shape);
        var rng = new Rng(3);
        var x = GradCheck.Leaf(rng, [2, 4, 6]);
        var pad = Mask.FromLengths([4, 2], 4);
        var r = mha.Forward(x, x, x, keyPadding: pad, averageWeights: false);
        Assert.Equal(new Shape(2, 4, 6), r.Output.Shape);
        Assert.Equal(new Shape(2, 2, 4, 4), r.Weights!.Shape);
        mha.InProjWeight.RequiresGrad = true;
        GradCheck.Check("mha head_dim 5", a => mha.Forward(a[0], a[0], a[0], keyPadding: pad).Output, [x, mha.InProjWeight], h: 1e-3f);
    }
}
