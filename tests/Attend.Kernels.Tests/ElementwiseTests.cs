// SIMD drivers and operators against double-precision math, for every length 0..257 (vector bodies and tails),
// special values, and thread-count invariance of the chunked parallel path.
using Attend.Kernels.Simd;

namespace Attend.Kernels.Tests;

public class ElementwiseTests
{
    private static readonly (string Name, Func<double, double> F, Action<float[], float[]> Run, float Lo, float Hi, float Tol)[] Unaries =
    [
        ("exp", Math.Exp, (x, y) => Elementwise.Unary<ExpOperator>(x, y), -20f, 20f, 2e-6f),
        ("log", Math.Log, (x, y) => Elementwise.Unary<LogOperator>(x, y), 1e-3f, 1e3f, 2e-6f),
        ("sqrt", Math.Sqrt, (x, y) => Elementwise.Unary<SqrtOperator>(x, y), 0f, 100f, 1e-6f),
        ("tanh", Math.Tanh, (x, y) => Elementwise.Unary<TanhOperator>(x, y), -6f, 6f, 2e-6f),
        ("sigmoid", v => 1 / (1 + Math.Exp(-v)), (x, y) => Elementwise.Unary<SigmoidOperator>(x, y), -15f, 15f, 2e-6f),
        ("relu", v => Math.Max(v, 0), (x, y) => Elementwise.Unary<ReluOperator>(x, y), -3f, 3f, 0f),
        ("gelu_erf", v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))), (x, y) => Elementwise.Unary<GeluErfOperator>(x, y), -8f, 8f, 1e-6f),
        ("gelu_tanh", v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), (x, y) => Elementwise.Unary<GeluTanhOperator>(x, y), -8f, 8f, 1e-6f),
        ("silu", v => v / (1 + Math.Exp(-v)), (x, y) => Elementwise.Unary<SiluOperator>(x, y), -30f, 30f, 2e-6f),
    ];

    public static IEnumerable<object[]> UnaryNames() => Unaries.Select(u => new object[] { u.Name });

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryMatchesDoublePrecisionForEveryLength(string name)
    {
        var op = Unaries.Single(u => u.Name == name);
        for (int n = 0; n <= 257; n++)
        {
            var x = TestData.Random(n, n, op.Lo, op.Hi);
            var y = new float[n];
            op.Run(x, y);
            var expected = x.Select(v => (float)op.F(v)).ToArray();
            TestData.Close(expected, y, op.Tol * 4, op.Tol, $"{name} n={n}");
        }
    }

    [Fact]
    public void TanhIsAccurateNearZeroAndSaturatesAtLargeInputs()
    {
        float[] x = [1e-6f, -1e-4f, 0.01f, 0.039f, 0.041f, -0.5f, 20f, -20f, 100f, 0f, 1e-6f, 2e-3f, 3e-2f, 5f, -7f, 9f];
        var y = new float[x.Length];
        Elementwise.Unary<TanhOperator>(x, y);
        TestData.Close(x.Select(v => (float)Math.Tanh(v)).ToArray(), y, 1e-6f, 1e-7f, "tanh");
    }

    [Fact]
    public void BinaryAccumulatesAndBroadcastsScalars()
    {
        for (int n = 0; n <= 257; n += 7)
        {
            var a = TestData.Random(n, n);
            var b = TestData.Random(n + 1000, n, 0.5f, 2f);
            var z = Enumerable.Repeat(1f, n).ToArray();
            Elementwise.Binary<DivideOperator>(a, b, z, accumulate: true);
            TestData.Close(a.Zip(b, (p, q) => 1f + p / q).ToArray(), z, 1e-6f, 1e-6f, $"div+= n={n}");
            Elementwise.BinaryScalar<SubtractOperator>(a, 0.25f, z);
            TestData.Close(a.Select(p => p - 0.25f).ToArray(), z, 0f, 0f, $"sub scalar n={n}");
        }
    }

    [Fact]
    public void GradientOperatorsMatchFiniteDifferences()
    {
        var x = TestData.Random(3, 40, -3f, 3f);
        var dy = TestData.Random(4, 40);
        Check<GeluErfOperator, GeluErfGradOperator>(x, dy);
        Check<GeluTanhOperator, GeluTanhGradOperator>(x, dy);
        Check<SiluOperator, SiluGradOperator>(x, dy);
    }

    [Fact]
    public void SiluAndItsGradientStayFiniteFarOutInTheTails()
    {
        float[] x = [-200f, -90f, -40f, 40f, 90f, 200f, 0f, -0f];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Elementwise.Unary<SiluOperator>(x, y);
        Elementwise.Binary<SiluGradOperator>(x, Enumerable.Repeat(1f, x.Length).ToArray(), dx);
        TestData.Close(x.Select(v => (float)(v / (1 + Math.Exp(-v)))).ToArray(), y, 1e-6f, 1e-6f, "silu tails");
        TestData.Close([0f, 0f, 0f, 1f, 1f, 1f, 0.5f, 0.5f], dx, 1e-6f, 1e-6f, "silu' tails");
    }

    private static void Check<TOp, TGrad>(float[] x, float[] dy) where TOp : struct, IUnaryOperator where TGrad : struct, IBinaryOperator
    {
        var dx = new float[x.Length];
        Elementwise.Binary<TGrad>(x, dy, dx);
        for (int i = 0; i < x.Length; i++)
        {
            double h = 1e-3, num = (TOp.Invoke(x[i] + (float)h) - TOp.Invoke(x[i] - (float)h)) / (2 * h) * dy[i];
            Assert.True(Math.Abs(num - dx[i]) < 2e-3, $"{typeof(TGrad).Name} at x={x[i]}: numeric {num}, analytic {dx[i]}");
        }
    }

    [Fact]
    public void ParallelChunksGiveTheSameBitsAsOneThread()
    {
        var x = TestData.Random(9, 300_001, -5f, 5f);
        var one = new float[x.Length];
        var many = new float[x.Length];
        int saved = Parallelism.Degree;
        try
        {
            Parallelism.Degree = 1;
            Elementwise.Unary<GeluErfOperator>(x, one);
            Parallelism.Degree = 3;
            Elementwise.Unary<GeluErfOperator>(x, many);
        }
        finally
        {
            Parallelism.Degree = saved;
        }
        Assert.Equal(one, many);
    }

    [Fact]
    public void DropoutMaskMatchesItsReferenceAtEveryLengthAndThreshold()
    {
        var rng = new Random(5);
        foreach (uint threshold in new uint[] { 0, 1, 6554, 32768, 65535, 65536 })
        {
            for (int n = 0; n <= 257; n++)
            {
                var bits = Enumerable.Range(0, n).Select(_ => (ushort)rng.Next(65536)).ToArray();
                if (n > 2) (bits[0], bits[1]) = ((ushort)threshold, (ushort)Math.Max(0, (int)threshold - 1)); // both sides of the edge
                var fast = new float[n];
                var slow = new float[n];
                DropoutMask.Fill(bits, threshold, 1.25f, fast);
                DropoutMask.Reference(bits, threshold, 1.25f, slow);
                Assert.Equal(slow, fast);
            }
        }
    }

    private static double Erf(double x)
    {
        // high-precision series/continued fraction is unnecessary here: the integral by Simpson's rule to 1e-12
        int n = 2000;
        double h = x / n, s = 0;
        for (int i = 0; i <= n; i++)
        {
            double t = i * h, w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            s += w * Math.Exp(-t * t);
        }
        return 2 / Math.Sqrt(Math.PI) * s * h / 3;
    }

    [Fact]
    public void ExpIsAccurateAcrossTheFloatRangeAndExactAtItsEdges()
    {
        // every vector width (and the scalar path) through the driver: 0 below the normal range and at −∞, +∞ above it,
        // NaN kept, and ~1e-7 relative error in between, the last normal values included
        float[] x = [float.NegativeInfinity, -1000f, -87.5f, -87.3f, -50f, -1e-3f, 0f, 1e-3f, 0.5f, 1f, 10f, 88f, 88.5f, 88.72f, 89f, 1000f,
            float.PositiveInfinity, float.NaN, -0f, 3.3f, -3.3f, 42.42f, -0.34657f, 0.34657f, 20f, -20f, 64f, -64f, 7f, -7f, 0.1f, 2f];
        var y = new float[x.Length];
        Elementwise.Unary<ExpOperator>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i]);
            if (double.IsNaN(e)) Assert.True(float.IsNaN(y[i]), $"exp({x[i]}) = {y[i]}");
            else if (e > float.MaxValue) Assert.Equal(float.PositiveInfinity, y[i]);
            else if (e < 1.2e-38) Assert.True(y[i] >= 0f && y[i] <= 1.2e-38f, $"exp({x[i]}) = {y[i]}");
            else Assert.True(Math.Abs(y[i] - e) <= 5e-7 * e, $"exp({x[i]}) = {y[i]}, expected {e}");
        }
    }
}
