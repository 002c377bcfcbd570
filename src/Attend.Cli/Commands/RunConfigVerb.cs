// The shape every `attend train <task>` verb shares: --config FILE, repeatable --set key=value overrides, --out DIR and
// --resume; the config is loaded strictly, validated, and sets the thread count before the task's own action runs.
using System.CommandLine;
using Attend.Kernels;
using Attend.Serialization;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>What a training verb's action receives.</summary>
internal sealed record RunConfigContext<T>(T Config, string ConfigPath, string Dir, bool Resume, IAnsiConsole Console, ParseResult Parse)
{
    /// <summary>Prints a grey progress line (for the run's log callback).</summary>
    public void Log(string line) => Console.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
}

/// <summary>Builds `attend train &lt;task&gt;` commands over a run-config record.</summary>
internal static class RunConfigVerb
{
    /// <summary>A command named <paramref name="name"/> whose action gets the loaded, checked config.</summary>
    public static Command Create<T>(string name, string description, string example, Func<T, string?> problem, Func<T, int> threads,
        Func<RunConfigContext<T>, int> action, params Option[] extra) where T : class
    {
        var config = new Option<string>("--config") { Description = $"Run config (JSON), e.g. {example}.", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set train.max_minutes=30 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Run directory (checkpoints, best model, curve, results).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run directory's last checkpoint." };
        var cmd = new Command(name, description) { config, set, output, resume };
        foreach (var option in extra) cmd.Add(option);
        cmd.SetAction(r =>
        {
            string path = r.GetValue(config)!;
            var cfg = RunConfigFile.Load<T>(path, r.GetValue(set) ?? []);
            if (problem(cfg) is { } p) throw new UserErrorException($"{path}: {p}");
            Parallelism.Degree = threads(cfg) > 0 ? threads(cfg) : Environment.ProcessorCount;
            string dir = r.GetValue(output)!;
            bool resuming = r.GetValue(resume);
            var console = AnsiConsole.Console;
            console.MarkupLine($"[bold]train {name}[/] {Markup.Escape(path)} → {Markup.Escape(dir)} ({Parallelism.Degree} threads{(resuming ? ", resuming" : "")})");
            return action(new RunConfigContext<T>(cfg, path, dir, resuming, console, r));
        });
        return cmd;
    }
}
