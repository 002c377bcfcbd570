// `attend info [--threads N] [--json]`: the machine as the kernels see it — CPU, cores, the vector path in use, the GEMM
// micro-kernel, the L2 the GEMM blocks for, and the FMA peak measured now at 1 and N threads.
using System.CommandLine;
using System.Text.Json;
using Attend.Cli.Bench;

namespace Attend.Cli.Commands;

/// <summary>The `info` verb.</summary>
public static class InfoCommand
{
    /// <summary>Creates `attend info`.</summary>
    public static Command Create()
    {
        var threads = CommonOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print the machine block as JSON." };
        var cmd = new Command("info", "The CPU, its cores, the vector path in use and the FMA peak measured now.") { threads, json };
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var machine = MachineInfo.Measure(t);
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(machine, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return 0;
            }
            foreach (var (name, value) in machine.Lines()) Console.WriteLine($"{name + ":",-20} {value}");
            return 0;
        });
        return cmd;
    }
}
