// The machine's fused multiply-add peak, measured: independent FMA chains at the vector width of Isa.Path, one per
// accumulator, so that only the FMA units' throughput limits the loop (as ../shared/peers/fma_peak.c does in C).
// 24 accumulators where the ISA has 32 vector registers (AVX-512, ARM64), 12 where it has 16 (AVX2, SSE): enough to
// cover FMA latency × FMA ports on the cores we target. The GEMM's efficiency is reported against this figure.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;

namespace Attend.Kernels.Simd;

/// <summary>Measures single-precision FMA throughput in GFLOP/s.</summary>
public static class FmaPeak
{
    /// <summary>
    /// GFLOP/s (2 per lane per FMA) of <paramref name="threads"/> threads each running FMA chains for about
    /// <paramref name="seconds"/>; the best of <paramref name="repeats"/> tries, since a busy machine only slows it.
    /// </summary>
    public static double Measure(int threads, double seconds = 0.2, int repeats = 3)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            var kernel = new Kernel { Threads = threads, Seconds = seconds };
            Isa.Run(ref kernel);
            best = Math.Max(best, kernel.Gflops);
        }
        return best;
    }

    private struct Kernel : IWidthKernel
    {
        public int Threads;
        public double Seconds;
        public double Gflops;

        public void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            bool wide = S.Count == 16 || AdvSimd.IsSupported;
            int accumulators = wide ? 24 : 12;
            long iterations = Calibrate<S, V>(wide);
            long perThread = Math.Max(1, (long)(iterations * Seconds));
            var clock = Stopwatch.StartNew();
            var sinks = new float[Threads];
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads },
                t => sinks[t] = wide ? Chains24<S, V>(perThread) : Chains12<S, V>(perThread));
            double elapsed = clock.Elapsed.TotalSeconds;
            if (sinks.Any(float.IsNaN)) throw new InvalidOperationException("FMA chains produced NaN");
            Gflops = 2.0 * S.Count * accumulators * perThread * Threads / elapsed / 1e9;
        }
    }

    // iterations per second of one thread, from a short run
    private static long Calibrate<S, V>(bool wide) where S : struct, ISimd<V> where V : struct
    {
        long n = 1 << 14;
        while (true)
        {
            var clock = Stopwatch.StartNew();
            if (wide) Chains24<S, V>(n); else Chains12<S, V>(n);
            double s = clock.Elapsed.TotalSeconds;
            if (s > 0.02) return (long)(n / s);
            n *= 4;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains12<S, V>(long n) where S : struct, ISimd<V> where V : struct
    {
        V m = S.Splat(0.999999f), d = S.Splat(1e-7f);
        V a0 = S.Splat(0.1f), a1 = S.Splat(0.2f), a2 = S.Splat(0.3f), a3 = S.Splat(0.4f), a4 = S.Splat(0.5f), a5 = S.Splat(0.6f),
            a6 = S.Splat(0.7f), a7 = S.Splat(0.8f), a8 = S.Splat(0.9f), a9 = S.Splat(1.0f), a10 = S.Splat(1.1f), a11 = S.Splat(1.2f);
        for (long i = 0; i < n; i++)
        {
            a0 = S.MulAdd(a0, m, d); a1 = S.MulAdd(a1, m, d); a2 = S.MulAdd(a2, m, d); a3 = S.MulAdd(a3, m, d);
            a4 = S.MulAdd(a4, m, d); a5 = S.MulAdd(a5, m, d); a6 = S.MulAdd(a6, m, d); a7 = S.MulAdd(a7, m, d);
            a8 = S.MulAdd(a8, m, d); a9 = S.MulAdd(a9, m, d); a10 = S.MulAdd(a10, m, d); a11 = S.MulAdd(a11, m, d);
        }
        var sum = S.Add(S.Add(S.Add(a0, a1), S.Add(a2, a3)), S.Add(S.Add(a4, a5), S.Add(a6, a7)));
        return S.Sum(S.Add(sum, S.Add(S.Add(a8, a9), S.Add(a10, a11))));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains24<S, V>(long n) where S : struct, ISimd<V> where V : struct
    {
        V m = S.Splat(0.999999f), d = S.Splat(1e-7f);
        V a0 = S.Splat(0.1f), a1 = S.Splat(0.2f), a2 = S.Splat(0.3f), a3 = S.Splat(0.4f), a4 = S.Splat(0.5f), a5 = S.Splat(0.6f),
            a6 = S.Splat(0.7f), a7 = S.Splat(0.8f), a8 = S.Splat(0.9f), a9 = S.Splat(1.0f), a10 = S.Splat(1.1f), a11 = S.Splat(1.2f),
            b0 = S.Splat(0.15f), b1 = S.Splat(0.25f), b2 = S.Splat(0.35f), b3 = S.Splat(0.45f), b4 = S.Splat(0.55f), b5 = S.Splat(0.65f),
            b6 = S.Splat(0.75f), b7 = S.Splat(0.85f), b8 = S.Splat(0.95f), b9 = S.Splat(1.05f), b10 = S.Splat(1.15f), b11 = S.Splat(1.25f);
        for (long i = 0; i < n; i++)
        {
            a0 = S.MulAdd(a0, m, d); a1 = S.MulAdd(a1, m, d); a2 = S.MulAdd(a2, m, d); a3 = S.MulAdd(a3, m, d);
            a4 = S.MulAdd(a4, m, d); a5 = S.MulAdd(a5, m, d); a6 = S.MulAdd(a6, m, d); a7 = S.MulAdd(a7, m, d);
            a8 = S.MulAdd(a8, m, d); a9 = S.MulAdd(a9, m, d); a10 = S.MulAdd(a10, m, d); a11 = S.MulAdd(a11, m, d);
            b0 = S.MulAdd(b0, m, d); b1 = S.MulAdd(b1, m, d); b2 = S.MulAdd(b2, m, d); b3 = S.MulAdd(b3, m, d);
            b4 = S.MulAdd(b4, m, d); b5 = S.MulAdd(b5, m, d); b6 = S.MulAdd(b6, m, d); b7 = S.MulAdd(b7, m, d);
            b8 = S.MulAdd(b8, m, d); b9 = S.MulAdd(b9, m, d); b10 = S.MulAdd(b10, m, d); b11 = S.MulAdd(b11, m, d);
        }
        var sa = S.Add(S.Add(S.Add(a0, a1), S.Add(a2, a3)), S.Add(S.Add(a4, a5), S.Add(a6, a7)));
        var sb = S.Add(S.Add(S.Add(b0, b1), S.Add(b2, b3)), S.Add(S.Add(b4, b5), S.Add(b6, b7)));
        var rest = S.Add(S.Add(S.Add(a8, a9), S.Add(a10, a11)), S.Add(S.Add(b8, b9), S.Add(b10, b11)));
        return S.Sum(S.Add(S.Add(sa, sb), rest));
    }
}
