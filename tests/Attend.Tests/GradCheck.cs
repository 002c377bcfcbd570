// Finite-difference gradient check with a random cotangent c: the loss is L = Σ f(x)·c (in double), the analytic
// gradient comes from Backward(c), the numeric one from central differences on a sample of each input's elements.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Tests;

internal static class GradCheck
{
    /// <summary>Checks d⟨f(inputs), c⟩/d(input) for every input that requires a gradient.</summary>
    public static void Check(string name, Func<Tensor[], Tensor> f, Tensor[] inputs, int seed = 7, float h = 1e-2f,
        double rtol = 2e-2, double atol = 2e-3, int samplesPerInput = 24)
    {
        foreach (var t in inputs) t.ZeroGrad();
        var output = f(inputs);
        var rng = new Rng((ulong)seed);
        var cot = Tensor.Uniform(rng, -1f, 1f, output.Shape.ToArray());
        output.Backward(cot);

        for (int which = 0; which < inputs.Length; which++)
        {
            var x = inputs[which];
            if (!x.RequiresGrad) continue;
            Assert.True(x.Grad is not null, $"{name}: input {which} received no gradient");
            var picks = Enumerable.Range(0, x.Size).OrderBy(_ => rng.NextUInt()).Take(samplesPerInput);
            foreach (int i in picks)
            {
                float saved = x.Data[i];
                x.Data[i] = saved + h;
                double up = Loss(f, inputs, cot);
                x.Data[i] = saved - h;
                double down = Loss(f, inputs, cot);
                x.Data[i] = saved;
                double numeric = (up - down) / (2 * h), analytic = x.Grad![i];
                Assert.True(Math.Abs(numeric - analytic) <= atol + rtol * Math.Abs(numeric),
                    $"{name}: d/d input{which}[{i}]: numeric {numeric:G6}, analytic {analytic:G6}");
            }
        }
    }

    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor cot)
    {
        using var _ = GradMode.Off();
        var y = f(inputs);
        double s = 0;
        for (int i = 0; i < y.Size; i++) s += (double)y.Data[i] * cot.Data[i];
        return s;
    }

    /// <summary>A leaf with uniform values in [lo, hi), optionally pushed at least <paramref name="awayFromZero"/> from 0 (for kinks).</summary>
    public static Tensor Leaf(Rng rng, int[] dims, float lo = -1f, float hi = 1f, float awayFromZero = 0f)
    {
        var t = Tensor.Uniform(rng, lo, hi, dims);
        for (int i = 0; i < t.Size; i++)
            if (MathF.Abs(t.Data[i]) < awayFromZero) t.Data[i] = MathF.CopySign(awayFromZero + MathF.Abs(t.Data[i]), t.Data[i] == 0 ? 1 : t.Data[i]);
        t.RequiresGrad = true;
        return t;
    }
}
