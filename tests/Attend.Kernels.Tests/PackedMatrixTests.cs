// A right-hand operand packed once (Gemm.Pack) gives the blocked GEMM's products bit for bit, with the same kernel:
// every kernel (each skips where its width is not accelerated), both layouts of B, ragged rows (the edge tile), columns
// past whole panels, depths past one block, accumulation, and any thread count. One and two threads tile rows
// differently (13 rows are 7 + 6 on one thread, 12 + 1 on two: a thin remainder is balanced with the panel above it
// only within a thread's rectangle), so these comparisons also prove that every tile split gives the same bits.
using Attend.Kernels.Blas;

namespace Attend.Kernels.Tests;

public class PackedMatrixTests
{
    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void PackedProductsEqualTheBlockedGemmBitForBit(GemmKernel kernel)
    {
        GemmTests.RequireAccelerated(kernel);
        int seed = 0;
        foreach (bool tb in new[] { false, true })
            foreach (int n in new[] { 1, 7, 32, 45, 800 })
                foreach (int k in new[] { 1, 9, 300 })
                {
                    int ldb = (tb ? k : n) + 1;
                    var b = TestData.Random(seed++, (tb ? n : k) * ldb);
                    var packed = Gemm.Pack(tb, k, n, b, ldb, kernel);
                    Assert.Equal((k, n, kernel), (packed.K, packed.N, packed.Kernel));
                    foreach (int m in new[] { 1, 2, 5, 12, 13, 25, 100 })
                    {
                        bool accumulate = (seed & 1) == 1;
                        int lda = k + 3, ldc = n + 2;
                        var a = TestData.Random(seed++, m * lda);
                        var c0 = TestData.Random(seed++, m * ldc);
                        var expected = (float[])c0.Clone();
                        Gemm.Multiply(false, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate, 1, kernel);
                        foreach (int threads in new[] { 1, 2 })
                        {
                            var actual = (float[])c0.Clone();
                            Gemm.Multiply(m, a, lda, packed, actual, ldc, accumulate, threads, default);
                            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{kernel} {(tb ? "NT" : "NN")} {m}x{n}x{k} threads {threads}");
                        }
                    }
                }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void ABiasAddedWhereTilesAreStoredEqualsFillingCWithItFirst(GemmKernel kernel)
    {
        GemmTests.RequireAccelerated(kernel);
        int seed = 50;
        foreach (var (m, n, k) in new[] { (1, 45, 9), (13, 800, 300), (25, 32, 1), (100, 7, 260), (3, 64, 0) })
        {
            var b = TestData.Random(seed++, n * k);
            var packed = Gemm.Pack(true, k, n, b, Math.Max(1, k), kernel);
            var a = TestData.Random(seed++, Math.Max(1, m * k));
            var bias = TestData.Random(seed++, n);
            var expected = new float[m * n];
            for (int i = 0; i < m; i++) bias.CopyTo(expected, i * n);
            Gemm.Multiply(m, a, k, packed, expected, n, accumulate: true, threads: 1, bias: default);
            foreach (int threads in new[] { 1, 2 })
            {
                var actual = TestData.Random(seed++, m * n);                 // overwritten: no accumulate
                Gemm.Multiply(m, a, k, packed, actual, n, accumulate: false, threads, bias);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{kernel} {m}x{n}x{k} threads {threads}");
            }
        }
        var p = Gemm.Pack(true, 4, 3, new float[12], 4, kernel);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[8], 4, p, new float[6], 3, accumulate: true, threads: 1, bias: new float[3]));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[8], 4, p, new float[6], 3, accumulate: false, threads: 1, bias: new float[2]));
    }

    [Theory]
    [InlineData(GemmActivation.GeluErf)]
    [InlineData(GemmActivation.GeluTanh)]
    [InlineData(GemmActivation.Relu)]
    [InlineData(GemmActivation.Silu)]
    public void AnActivationOnTheFinalSumsEqualsAPassOverTheProduct(GemmActivation activation)
    {
        int seed = 70;
        foreach (var (m, n, k) in new[] { (13, 1536, 384), (40, 64, 300), (1, 96, 9), (7, 45, 260), (5, 32, 0) })
        {
            var b = TestData.Random(seed++, n * k);
            var packed = Gemm.Pack(true, k, n, b, Math.Max(1, k));
            var a = TestData.Random(seed++, Math.Max(1, m * k));
            var bias = TestData.Random(seed++, n);
            var expected = new float[m * n];
            Gemm.Multiply(m, a, k, packed, expected, n, accumulate: false, threads: 1, bias);
            switch (activation)
            {
                case GemmActivation.GeluErf: Attend.Kernels.Simd.Elementwise.Unary<Attend.Kernels.Simd.GeluErfOperator>(expected, expected); break;
                case GemmActivation.GeluTanh: Attend.Kernels.Simd.Elementwise.Unary<Attend.Kernels.Simd.GeluTanhOperator>(expected, expected); break;
                case GemmActivation.Silu: Attend.Kernels.Simd.Elementwise.Unary<Attend.Kernels.Simd.SiluOperator>(expected, expected); break;
                default: Attend.Kernels.Simd.Elementwise.Unary<Attend.Kernels.Simd.ReluOperator>(expected, expected); break;
            }
            foreach (int threads in new[] { 1, 2 })
            {
                var actual = new float[m * n];
                Gemm.Multiply(m, a, k, packed, actual, n, accumulate: false, threads, bias, activation);
                // whole vectors in every tile row: the same lanes as the pass over C, to the bit; a ragged n takes the
                // scalar form of the function for the last columns of a row
                if (n % Gemm.Best switch { GemmKernel.Avx512 => 32, GemmKernel.Scalar => 4, _ => 16 } == 0)
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{activation} {m}x{n}x{k} threads {threads}");
                else
                    TestData.Close(expected, actual, 1e-6f, 1e-6f, $"{activation} {m}x{n}x{k} threads {threads}");
            }
        }
    }

    [Fact]
    public void PackedProductsMatchTheReference()
    {
        var b = TestData.Random(1, 70 * 260);          // a weight (out 70, in 260)
        var packed = Gemm.Pack(true, 260, 70, b, 260);
        foreach (int m in new[] { 1, 13, 40 })
        {
            var a = TestData.Random(2 + m, m * 260);
            var expected = new float[m * 70];
            var actual = new float[m * 70];
            GemmReference.Multiply(false, true, m, 70, 260, a, 260, b, 260, expected, 70, false);
            Gemm.Multiply(m, a, 260, packed, actual, 70);
            TestData.Close(expected, actual, 1e-5f, 2e-5f * 261, $"packed {m}x70x260");
        }
    }

    [Fact]
    public void ShapesThatDoNotFitAreRefused()
    {
        var packed = Gemm.Pack(false, 4, 3, new float[12], 3);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[7], 4, packed, new float[6], 3));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[8], 4, packed, new float[5], 3));
        Assert.Throws<ArgumentException>(() => Gemm.Pack(true, 4, 3, new float[11], 4));
    }
}
