// The backward walk: deep chains (an unrolled recurrence) must not overflow the stack, gradients of shared inputs
// add up, GradMode.Off records nothing, and views (reshape) route gradients back to their source.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Tests.Autograd;

public class BackpropagationTests
{
    [Fact]
    public void HundredThousandStepChainDoesNotOverflowTheStack()
    {
        var x = Tensor.FromValues([0.5f], 1);
        x.RequiresGrad = true;
        var y = x;
        for (int i = 0; i < 100_000; i++) y = Ops.MulScalar(y, 1.0000001f);
        Ops.SumAll(y).Backward();
        Assert.Equal(MathF.Pow(1.0000001f, 100_000), x.Grad![0], 3);
    }

    [Fact]
    public void GradientsOfAReusedInputAccumulate()
    {
        var x = Tensor.FromValues([3f], 1);
        x.RequiresGrad = true;
        Ops.SumAll(Ops.Add(Ops.Mul(x, x), x)).Backward(); // d(x² + x)/dx = 2x + 1
        Assert.Equal(7f, x.Grad![0]);
    }

    [Fact]
    public void GradModeOffRecordsNoHistory()
    {
        var x = Tensor.FromValues([1f, 2f], 2);
        x.RequiresGrad = true;
        Tensor y;
        using (GradMode.Off()) y = Ops.Exp(x);
        Assert.False(y.RequiresGrad);
        Assert.True(Ops.Exp(x).RequiresGrad);
    }

    [Fact]
    public void NonScalarOutputsNeedACotangent()
    {
        var x = Tensor.FromValues([1f, 2f], 2);
        x.RequiresGrad = true;
        Assert.Throws<InvalidOperationException>(() => Ops.Exp(x).Backward());
    }

    [Fact]
    public void BroadcastErrorsNameBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(4)));
        Assert.Contains("(2, 3) and (4)", ex.Message);
    }
}
