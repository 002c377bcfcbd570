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

    [Theory]
    [InlineData(100_000, 0.25f)]
    [InlineData(16_385, 0.1f)]
    [InlineData(33, 0.5f)]
    [InlineData(7, 1f)]
    public void TheMaskIsTheDocumentedStream(int size, float p)
    {
        // the definition: a seed from two draws of the layer's generator; chunk c of 16,384 elements uses
        // Rng(Derive(seed, c)); each 32-bit draw gives its low 16 bits to an element and its high 16 bits to the next;
        // an element is dropped when its bits are below round(p·65536)
        var x = Tensor.Normal(new Rng(3), 0f, 1f, size);
        var y = Ops.Dropout(x, p, new Rng(11), training: true).Data;
        var g = new Rng(11);
        ulong seed = ((ulong)g.NextUInt() << 32) | g.NextUInt();
        uint threshold = p == 1f ? 65536u : (uint)Math.Round(p * 65536.0);
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int c = 0; c * 16384 < size; c++)
        {
            var r = new Rng(Rng.Derive(seed, c));
            for (int i = c * 16384; i < Math.Min(size, (c + 1) * 16384); i += 2)
            {
                uint bits = r.NextUInt();
                Assert.Equal((bits & 0xFFFF) < threshold ? 0f : x.Data[i] * keep, y[i]);
                if (i + 1 < size) Assert.Equal((bits >> 16) < threshold ? 0f : x.Data[i + 1] * keep, y[i + 1]);
            }
        }
    }

    [Fact]
    public void EvaluationIsTheIdentity()
    {
        var x = Tensor.Ones(10);
        Assert.Same(x, Ops.Dropout(x, 0.5f, new Rng(1), training: false));
    }
}
