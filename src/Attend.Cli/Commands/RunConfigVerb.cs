// The shape every `attend train <task>` verb shares: --config FILE, repeatable --set key=value overrides, --out DIR and
// --resume; the config is loaded strictly, validated, and sets the thread count before the task's own action runs.
using System.CommandLine;
using System.Globalization;
using Attend.Cli.Display;
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
    /// <summary>
    /// Trains with the progress display (Ctrl+C stops cleanly: exit 130), then scores the best model, prints
    /// <paramref name="summary"/> of the results, where the outputs are, and with <paramref name="json"/> the results as
    /// JSON on the last line.
    /// </summary>
    public static int TrainAndReport<T, TResults>(RunConfigContext<T> ctx, Training.Trainer trainer, Func<Training.TrainingResult, TResults> evaluate,
        Func<TResults, string> summary, bool json)
    {
        var console = ctx.Console;
        var training = TrainingProgress.RunInterruptible(console, trainer, ctx.Dir, ctx.Resume);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"training ended after {training.Steps} updates: {Markup.Escape(training.StopReason)}; best validation score {training.BestScore:F4}"));
        if (training.Cancelled) return 130;
        console.MarkupLine("[grey]scoring the best model …[/]");
        var results = Training.FinishedRun.Evaluate(ctx.Dir, training, () => evaluate(training));
        console.MarkupLine(summary(results));
        console.MarkupLine($"model: {Markup.Escape(Path.Combine(ctx.Dir, "model"))}   curve: {Markup.Escape(Path.Combine(ctx.Dir, "curve.svg"))}   results: {Markup.Escape(Path.Combine(ctx.Dir, "results.json"))}");
        if (json) Console.WriteLine(RunConfigFile.ResultsToJson(results, indented: false));
        return 0;
    }

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
            Training.RunDirectory.Check(dir, resuming);
            var console = AnsiConsole.Console;
            console.MarkupLine($"[bold]train {name}[/] {Markup.Escape(path)} → {Markup.Escape(dir)} ({Parallelism.Degree} threads{(resuming ? ", resuming" : "")})");
            return action(new RunConfigContext<T>(cfg, path, dir, resuming, console, r));
        });
        return cmd;
    }
}
