// Dropout: the mask depends only on the generator's state (not on the thread count), keeps about 1 − p of the
// elements scaled by 1/(1 − p), and is the identity in evaluation.
using Attend.Autograd;
using Attend.Kernels;
using Attend.Tensors;

namespace Attend.Tests.Autograd;

[Collection("parallelism")]
public class DropoutTests
{
    private static float[] Masked(int threads, int size = 100_000)
    {
        int saved = Parallelism.Degree;
        try
        {
            Parallelism.Degree = threads;
            return Ops.Dropout(Tensor.Ones(size), 0.25f, new Rng(11), training: true).Data;
        }
        finally
        {
            Parallelism.Degree = saved;
        }
    }

    [Fact]
    public void TheMaskDoesNotDependOnTheThreadCount() => Assert.Equal(Masked(1), Masked(2));

    [Fact]
    public void AboutOneMinusPIsKeptAndScaled()
    {
        var y = Masked(2);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6));
        double kept = y.Count(v => v != 0f) / (double)y.Length;
        Assert.InRange(kept, 0.74, 0.76);
    }

    [Fact]
    public void EvaluationIsTheIdentity()
    {
        var x = Tensor.Ones(10);
        Assert.Same(x, Ops.Dropout(x, 0.5f, new Rng(1), training: false));
    }
}
