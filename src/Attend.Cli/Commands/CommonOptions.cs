// Options several verbs share, defined once.
using System.CommandLine;
using Attend.Kernels;

namespace Attend.Cli.Commands;

/// <summary>Shared command-line options.</summary>
internal static class CommonOptions
{
    /// <summary>--threads N (default: all cores).</summary>
    public static Option<int> Threads() => new("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>Sets the engine's degree of parallelism from --threads, rejecting values below 1.</summary>
    public static int ApplyThreads(int threads)
    {
        if (threads < 1) throw new UserErrorException($"--threads must be at least 1, got {threads}");
        Parallelism.Degree = threads;
        return threads;
    }
}
