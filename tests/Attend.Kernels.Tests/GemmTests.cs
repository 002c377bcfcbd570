// The packed GEMM against the naive triple loop: every layout, every micro-kernel (each skips, saying why, where its
// vector width is not accelerated), ragged and degenerate sizes, accumulation, and bit-identical results for 1 and N
// threads. The NEON tile (12×8 of 4 lanes) runs on x64 too, wherever 128-bit vectors are accelerated.
using Attend.Kernels.Blas;

namespace Attend.Kernels.Tests;

public class GemmTests
{
    public static TheoryData<GemmKernel> Kernels() => new(Enum.GetValues<GemmKernel>().Where(k => k != GemmKernel.Auto));

    /// <summary>Skips the test where <paramref name="kernel"/>'s vector width is not accelerated (it would be emulated).</summary>
    internal static void RequireAccelerated(GemmKernel kernel) =>
        Assert.SkipUnless(Gemm.IsAccelerated(kernel), $"the {kernel} micro-kernel's vector width is not accelerated on this CPU (vector path: {Attend.Kernels.Simd.Isa.Describe()})");

    private static void Check(bool ta, bool tb, int m, int n, int k, GemmKernel kernel, int threads, bool accumulate, int seed)
    {
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        var a = TestData.Random(seed, Math.Max(1, (ta ? k : m) * lda));
        var b = TestData.Random(seed + 1, Math.Max(1, (tb ? n : k) * ldb));
        var c0 = TestData.Random(seed + 2, Math.Max(1, m * ldc));
        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        GemmReference.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, actual, ldc, accumulate, threads, kernel);
        TestData.Close(expected, actual, 1e-5f, 2e-5f * (k + 1), $"{kernel} {(ta ? "T" : "N")}{(tb ? "T" : "N")} {m}x{n}x{k}");
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesReferenceOnRaggedShapesForEveryLayout(GemmKernel kernel)
    {
        RequireAccelerated(kernel);
        int[] sizes = [0, 1, 2, 5, 11, 12, 13, 16, 31, 33, 47, 64, 97];
        int seed = 0;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (int m in sizes)
                    foreach (int n in new[] { 1, 7, 32, 45 })
                        foreach (int k in new[] { 0, 1, 9, 33 })
                            Check(ta, tb, m, n, k, kernel, threads: 1, accumulate: (seed++ & 1) == 1, seed);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesReferenceAcrossBlockBoundaries(GemmKernel kernel)
    {
        RequireAccelerated(kernel);
        // k spans two depth blocks (KC = 256) and n spans two column blocks (NB = 768)
        Check(false, false, 29, 800, 300, kernel, threads: 2, accumulate: false, seed: 11);
        Check(true, false, 40, 70, 520, kernel, threads: 2, accumulate: true, seed: 12);
        Check(false, true, 150, 33, 257, kernel, threads: 2, accumulate: false, seed: 13);
    }

    [Fact]
    public void FewRowsPathMatchesReferenceAndIgnoresThreadCount()
    {
        // m ≤ 8 (a decoding step), or m ≤ 32 with Bᵀ (a short sentence), skips packing: tiles of dot products against
        // Bᵀ rows, or FMAs along B rows
        int seed = 100;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (int m in tb ? new[] { 1, 2, 3, 4, 5, 8, 13, 31, 32 } : new[] { 1, 2, 3, 5, 8 })
                    foreach (int n in new[] { 1, 15, 64, 65, 300 })
                        foreach (int k in new[] { 0, 1, 17, 40, 256 })
                            Check(ta, tb, m, n, k, GemmKernel.Auto, threads: 2, accumulate: (seed++ & 1) == 1, seed);
        foreach (bool tb in new[] { false, true })
        {
            var a = TestData.Random(1, 3 * 200);
            var b = TestData.Random(2, 200 * 1000);
            var one = new float[3 * 1000];
            var many = new float[3 * 1000];
            Gemm.Multiply(false, tb, 3, 1000, 200, a, 200, b, tb ? 200 : 1000, one, 1000, false, 1, GemmKernel.Auto);
            Gemm.Multiply(false, tb, 3, 1000, 200, a, 200, b, tb ? 200 : 1000, many, 1000, false, 3, GemmKernel.Auto);
            Assert.Equal(one, many);
        }
        {
            var a = TestData.Random(3, 20 * 200);
            var b = TestData.Random(4, 200 * 1000);
            var one = new float[20 * 1000];
            var many = new float[20 * 1000];
            Gemm.Multiply(false, true, 20, 1000, 200, a, 200, b, 200, one, 1000, false, 1, GemmKernel.Auto);
            Gemm.Multiply(false, true, 20, 1000, 200, a, 200, b, 200, many, 1000, false, 3, GemmKernel.Auto);
            Assert.Equal(one, many);
        }
    }

    [Fact]
    public void ReferenceIsTheTextbookProduct()
    {
        // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        var c = new float[4];
        GemmReference.Multiply(false, false, 2, 2, 2, [1, 2, 3, 4], 2, [5, 6, 7, 8], 2, c, 2, false);
        Assert.Equal([19f, 22f, 43f, 50f], c);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ThreadCountDoesNotChangeTheResult(GemmKernel kernel)
    {
        foreach (var (m, n, k, ta, tb) in new[] { (200, 90, 300, false, false), (37, 300, 70, true, false), (130, 130, 129, false, true) })
        {
            var a = TestData.Random(5, m * k);
            var b = TestData.Random(6, k * n);
            var one = new float[m * n];
            var many = new float[m * n];
            Gemm.Multiply(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, one, n, false, 1, kernel);
            foreach (int threads in new[] { 2, 3, 4 })
            {
                Gemm.Multiply(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, many, n, false, threads, kernel);
                Assert.Equal(one, many);
            }
        }
    }

    [Fact]
    public void BatchedMatchesOneProductPerItem()
    {
        const int batch = 6, m = 9, n = 17, k = 13;
        var a = TestData.Random(1, batch * m * k);
        var b = TestData.Random(2, batch * k * n);
        var c = new float[batch * m * n];
        Gemm.MultiplyBatched(batch, false, true, m, n, k, a, k, m * k, b, k, k * n, c, n, m * n);
        for (int i = 0; i < batch; i++)
        {
            var expected = new float[m * n];
            GemmReference.Multiply(false, true, m, n, k, a.AsSpan(i * m * k), k, b.AsSpan(i * k * n), k, expected, n, false);
            TestData.Close(expected, c.AsSpan(i * m * n, m * n), 1e-5f, 1e-4f, $"item {i}");
        }
    }

    [Fact]
    public void RejectsSpansTooShortForTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, new float[15], 4, new float[16], 4, new float[16], 4));
        Assert.Contains("A needs 16 elements", ex.Message);
    }
}
