// The unpacked small-product path of batched GEMM (narrow attention heads) against the naive triple loop: all four
// layouts, all three of its forms (n ≥ 16 along the columns; n < 16 along k, or along m with Aᵀ), ragged sizes that
// leave vector tails, padded leading dimensions, accumulation, the same bits for 1 and 2 threads, and agreement with
// every blocked micro-kernel this CPU accelerates. They run at whatever vector width the process has.
using Attend.Kernels.Blas;

namespace Attend.Kernels.Tests;

public class TinyProductTests
{
    public static IEnumerable<object[]> Shapes()
    {
        foreach (var (m, n, k) in new[] { (64, 64, 4), (64, 4, 64), (7, 70, 3), (33, 17, 16), (5, 15, 37), (20, 3, 1), (1, 1, 9), (18, 5, 100), (3, 80, 16) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return [m, n, k, ta, tb];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheNaiveProduct(int m, int n, int k, bool ta, bool tb)
    {
        const int batch = 3;
        int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 3, ldc = n + 1;
        int sa = (ta ? k : m) * lda, sb = (tb ? n : k) * ldb, sc = m * ldc;
        var a = TestData.Random(1, batch * sa);
        var b = TestData.Random(2, batch * sb);
        foreach (bool accumulate in new[] { false, true })
        {
            var c0 = TestData.Random(3, batch * sc);
            var actual = (float[])c0.Clone();
            Gemm.MultiplyBatched(batch, ta, tb, m, n, k, a, lda, sa, b, ldb, sb, actual, ldc, sc, accumulate);
            for (int i = 0; i < batch; i++)
            {
                var expected = c0.AsSpan(i * sc, sc).ToArray();
                GemmReference.Multiply(ta, tb, m, n, k, a.AsSpan(i * sa), lda, b.AsSpan(i * sb), ldb, expected, ldc, accumulate);
                TestData.Close(expected, actual.AsSpan(i * sc, sc), 1e-5f, 2e-5f * (k + 1), $"{(ta ? "T" : "N")}{(tb ? "T" : "N")} {m}x{n}x{k} item {i} accumulate {accumulate}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void AgreesWithTheBlockedGemmAndIgnoresTheThreadCount(GemmKernel kernel)
    {
        GemmTests.RequireAccelerated(kernel);
        const int batch = 40, m = 64, n = 64, k = 4;
        var q = TestData.Random(4, batch * m * k);
        var kt = TestData.Random(5, batch * n * k);
        float[] Batched(int threads)
        {
            int degree = Parallelism.Degree;
            try
            {
                Parallelism.Degree = threads;
                var c = new float[batch * m * n];
                Gemm.MultiplyBatched(batch, false, true, m, n, k, q, k, m * k, kt, k, n * k, c, n, m * n);
                return c;
            }
            finally { Parallelism.Degree = degree; }
        }
        var one = Batched(1);
        Assert.Equal(one, Batched(2));
        var blocked = new float[batch * m * n];
        for (int i = 0; i < batch; i++)
            Gemm.Multiply(false, true, m, n, k, q.AsSpan(i * m * k), k, kt.AsSpan(i * n * k), k, blocked.AsSpan(i * m * n), n, false, 1, kernel);
        TestData.Close(blocked, one, 1e-5f, 1e-4f, $"small-product path against the blocked {kernel} GEMM");
    }

    [Fact]
    public void LargeOrWideProductsKeepTheBlockedGemm()
    {
        Assert.False(TinyProduct.Applies(64, 64, 64));   // 64-wide heads: the blocked GEMM is faster
        Assert.False(TinyProduct.Applies(1024, 8, 8));   // taller than the scratch bound
    }
}
