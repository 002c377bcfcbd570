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

    public static TheoryData<string> OverwritingOps => new() { "softmax", "log_softmax", "layer_norm", "matmul", "self_matmul", "shared_matmul", "tanh", "gelu", "scale" };

    /// <summary>
    /// Ops write a fresh gradient buffer instead of zeroing and adding; a second backward pass must then add exactly
    /// the first pass's gradient, and an input used twice must get both contributions.
    /// </summary>
    [Theory]
    [MemberData(nameof(OverwritingOps))]
    public void ASecondBackwardPassAddsTheSameGradient(string op)
    {
        var rng = new Rng(5);
        var x = Tensor.Uniform(rng, -1f, 1f, 3, 5, 36);
        var w = Tensor.Uniform(rng, -1f, 1f, 36, 36);
        var gamma = Tensor.Uniform(rng, 0.5f, 1.5f, 36);
        var cot = Tensor.Uniform(rng, -1f, 1f, 3, 5, 36);
        x.RequiresGrad = w.RequiresGrad = gamma.RequiresGrad = true;
        Tensor Forward() => op switch
        {
            "softmax" => Ops.Softmax(x),
            "log_softmax" => Ops.LogSoftmax(x),
            "layer_norm" => Ops.LayerNorm(x, gamma, gamma),
            "matmul" => Ops.Reshape(Ops.MatMul(Ops.Reshape(x, 15, 36), w), 3, 5, 36),
            "self_matmul" => Ops.MatMul(Ops.MatMul(x, x, transposeB: true), x),
            "shared_matmul" => Ops.MatMul(x, w),
            "tanh" => Ops.Tanh(x),
            "gelu" => Ops.Gelu(x),
            _ => Ops.MulScalar(x, 1.5f),
        };
        Forward().Backward(cot);
        var once = new[] { x, w, gamma }.Select(t => t.Grad?.ToArray()).ToArray();
        Forward().Backward(cot);
        var twice = new[] { x, w, gamma }.Select(t => t.Grad).ToArray();
        Assert.NotNull(once[0]);
        for (int t = 0; t < 3; t++)
        {
            if (once[t] is null) { Assert.Null(twice[t]); continue; }
            for (int i = 0; i < once[t]!.Length; i++) Assert.Equal(2f * once[t]![i], twice[t]![i], 1e-5f * (1f + MathF.Abs(once[t]![i])));
        }
    }

    [Fact]
    public void AViewHandsItsGradientOnAndGivesTheSameGradientsWithOrWithoutRecycling()
    {
        // x (leaf) → tanh → reshape → reshape → matmul, used twice: the views hand their gradient buffers on to the
        // tanh result (not to the leaf, whose gradient must outlive the recycling scope)
        float[] Gradient(bool recycle)
        {
            var rng = new Rng(11);
            var x = Tensor.Uniform(rng, -1f, 1f, 4, 6, 128);
            var w = Tensor.Uniform(rng, -1f, 1f, 128, 8);
            var cot = Tensor.Uniform(rng, -1f, 1f, 24, 8);
            x.RequiresGrad = true;
            using (recycle ? TensorMemory.Recycle() : null)
            {
                var h = Ops.Tanh(x);
                var flat = Ops.Reshape(Ops.Reshape(h, 24, 2, 64), 24, 128);
                Ops.Add(Ops.MatMul(flat, w), Ops.MatMul(Ops.Reshape(x, 24, 128), w)).Backward(cot);
            }
            return x.Grad!.ToArray();
        }
        var plain = Gradient(recycle: false);
        Assert.Equal(plain, Gradient(recycle: true));
        Assert.Equal(plain, Gradient(recycle: true)); // a second pass from a warm pool
    }
}
