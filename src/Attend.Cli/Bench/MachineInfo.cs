// What this machine is and what it can do, measured in the same process that benchmarks it: the CPU's name, its
// cores, the vector path the kernels took (and any DOTNET_Enable* switch that narrowed it), the GEMM tile, the L2
// size the GEMM blocks for, and the FMA peak measured now at 1 and N threads. Printed by `attend info` and at the
// head of every `attend bench` output, so that no figure is read without the machine it came from.
using System.Runtime.InteropServices;
using Attend.Kernels;
using Attend.Kernels.Blas;
using Attend.Kernels.Simd;

namespace Attend.Cli.Bench;

/// <summary>The machine a benchmark ran on.</summary>
public sealed record MachineInfo(string Cpu, string Architecture, int Cores, int Threads, string VectorPath, int Lanes, string GemmKernel,
    long L2Bytes, bool L2Known, IReadOnlyList<string> IsaSwitches, double FmaPeakGflopsOneThread, double FmaPeakGflopsAllThreads, string Runtime)
{
    /// <summary>Describes this machine, measuring the FMA peak for about <paramref name="seconds"/> per thread count.</summary>
    public static MachineInfo Measure(int threads, double seconds = 0.2)
    {
        double one = Math.Round(FmaPeak.Measure(1, seconds), 2);
        double many = threads == 1 ? one : Math.Round(FmaPeak.Measure(threads, seconds), 2);
        return new MachineInfo(CpuName(), RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), Environment.ProcessorCount, threads,
            Isa.Describe(), Isa.Lanes, Gemm.Best.ToString(), CacheSizes.L2Bytes, CacheSizes.L2Known, ReadIsaSwitches(), one, many,
            RuntimeInformation.FrameworkDescription);
    }

    /// <summary>The CPU's model name from /proc/cpuinfo ("model name", or ARM's "CPU implementer/part"), else the architecture.</summary>
    public static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? implementer = null, part = null;
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    int colon = line.IndexOf(':');
                    if (colon < 0) continue;
                    string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                    if (key == "model name" && value.Length > 0) return value;
                    if (key == "CPU implementer") implementer ??= value;
                    if (key == "CPU part") part ??= value;
                }
                if (implementer is not null) return $"ARM CPU implementer {implementer} part {part}";
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"unknown {RuntimeInformation.ProcessArchitecture} CPU";
    }

    /// <summary>The DOTNET_Enable*/PreferredVectorBitWidth settings in this process's environment, as NAME=VALUE.</summary>
    private static List<string> ReadIsaSwitches() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_Enable", StringComparison.Ordinal) || k == "DOTNET_PreferredVectorBitWidth")
            .Order(StringComparer.Ordinal).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();

    /// <summary>The lines `attend info` prints.</summary>
    public IEnumerable<(string Name, string Value)> Lines()
    {
        yield return ("cpu", Cpu);
        yield return ("architecture", Architecture);
        yield return ("cores", Cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("vector path", VectorPath + (IsaSwitches.Count > 0 ? $" (narrowed by {string.Join(", ", IsaSwitches)})" : ""));
        yield return ("gemm micro-kernel", GemmKernel);
        yield return ("L2 per core", $"{L2Bytes / 1024} KiB{(L2Known ? "" : " (assumed: the OS did not say)")}");
        yield return ("FMA peak, measured", $"{FmaPeakGflopsOneThread:0.0} GFLOP/s on 1 thread, {FmaPeakGflopsAllThreads:0.0} on {Threads}");
        yield return ("runtime", Runtime);
    }
}
