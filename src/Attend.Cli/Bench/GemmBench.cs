// `attend bench gemm`: GFLOP/s of the packed GEMM on the shapes of ../shared/peers/results.md §2.
using Attend.Kernels.Blas;

namespace Attend.Cli.Bench;

/// <summary>One GEMM measurement.</summary>
public sealed record GemmResult(int M, int K, int N, int Threads, string Layout, double Gflops, double MedianMs, double MinMs, double MaxMs);

/// <summary>Benchmarks C = A·B for square and transformer shapes.</summary>
public static class GemmBench
{
    /// <summary>(m, k, n) shapes of the peer table: squares 256..2048 and the transformer projections.</summary>
    public static readonly (int M, int K, int N)[] PeerShapes =
    [
        (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
        (2048, 256, 768), (2048, 256, 1024), (2048, 1024, 256), (2048, 256, 8000), (19200, 256, 256),
    ];

    /// <summary>Measures each shape with the given layout ("nn", "nt" or "tn").</summary>
    public static IEnumerable<GemmResult> Run(IEnumerable<(int M, int K, int N)> shapes, int threads, string layout, double minSeconds)
    {
        bool transA = layout[0] == 't', transB = layout[1] == 't';
        var rng = new Random(1234);
        foreach (var (m, k, n) in shapes)
        {
            float[] a = Random(rng, (long)m * k), b = Random(rng, (long)k * n), c = new float[(long)m * n];
            int lda = transA ? m : k, ldb = transB ? k : n;
            var t = Measure.Run(() => Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, false, threads, GemmKernel.Auto),
                warmup: 2, minRepeats: 5, minSeconds: minSeconds);
            double gflops = 2.0 * m * n * k / (t.MedianMs * 1e6);
            yield return new GemmResult(m, k, n, threads, layout, Math.Round(gflops, 1), t.MedianMs, t.MinMs, t.MaxMs);
        }
    }

    private static float[] Random(Random rng, long count)
    {
        var x = new float[count];
        for (long i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
