// The one path of every `attend train <task>` verb: --config FILE, repeatable --set key=value overrides, --out DIR,
// --resume and --json; the config is loaded strictly and validated, sets the thread count, the run directory is
// checked, then the task prepares its run (Attend.Training.IRun), the trainer runs with the progress display (Ctrl+C
// stops cleanly: exit 130, --resume continues), the best model is scored, and the results are printed (with --json,
// also as JSON on the last line). A task supplies only a TrainTask: its name, how it prepares a run and how its
// results read (TrainCommand.cs lists them).
using System.CommandLine;
using System.Globalization;
using Attend.Cli.Display;
using Attend.Kernels;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Training;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>What `attend train &lt;Name&gt;` needs of a task.</summary>
/// <param name="Prepare">(config, run directory, resume, log) → the prepared run.</param>
/// <param name="Best">The best validation score as the task names it, e.g. "loss 1.2345".</param>
/// <param name="Summary">The results as one line of Spectre markup.</param>
internal sealed record TrainTask<TConfig, TResults>(string Name, string Description, string Example,
    Func<TConfig, string, bool, Action<string>, IRun<TResults>> Prepare, Func<double, string> Best, Func<TConfig, TResults, string> Summary)
    where TConfig : class, IRunConfig, new() where TResults : class;

/// <summary>What a verb's action receives once the config is loaded and checked.</summary>
internal sealed record TrainContext<TConfig>(TConfig Config, string ConfigPath, string Dir, bool Resume, bool Json, IAnsiConsole Console, ParseResult Parse);

/// <summary>Builds the `attend train &lt;task&gt;` commands.</summary>
internal static class TrainVerb
{
    /// <summary>
    /// The command of <paramref name="task"/>. <paramref name="action"/> replaces the default (check the directory,
    /// train one run, report) for verbs with modes of their own; it gets the options in <paramref name="extra"/>.
    /// </summary>
    public static Command Create<TConfig, TResults>(TrainTask<TConfig, TResults> task, Func<TrainContext<TConfig>, int>? action = null, params Option[] extra)
        where TConfig : class, IRunConfig, new() where TResults : class
    {
        var config = new Option<string>("--config") { Description = $"Run config (JSON), e.g. {task.Example}.", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set train.max_minutes=30 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Run directory (checkpoints, best model, curve, results).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run directory's last checkpoint." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on the last line." };
        var cmd = new Command(task.Name, task.Description) { config, set, output, resume, json };
        foreach (var option in extra) cmd.Add(option);
        cmd.SetAction(r =>
        {
            string path = r.GetValue(config)!;
            var cfg = RunConfigFile.Load<TConfig>(path, r.GetValue(set) ?? []);
            if (cfg.Problem() is { } p) throw new UserErrorException($"{path}: {p}");
            Parallelism.Degree = cfg.Train.Threads > 0 ? cfg.Train.Threads : Environment.ProcessorCount;
            var ctx = new TrainContext<TConfig>(cfg, path, r.GetValue(output)!, r.GetValue(resume), r.GetValue(json), AnsiConsole.Console, r);
            if (action is not null) return action(ctx);
            RunDirectory.Check(ctx.Dir, ctx.Resume);
            Banner(task.Name, ctx);
            var results = TrainOne(task, ctx.Console, cfg, ctx.Dir, ctx.Resume, out int code);
            if (results is not null && ctx.Json) Console.WriteLine(RunConfigFile.ResultsToJson(results, indented: false));
            return code;
        });
        return cmd;
    }

    /// <summary>The first line of a training verb's output.</summary>
    public static void Banner<TConfig>(string name, TrainContext<TConfig> ctx) =>
        ctx.Console.MarkupLine($"[bold]train {name}[/] {Markup.Escape(ctx.ConfigPath)} → {Markup.Escape(ctx.Dir)} ({Parallelism.Degree} threads{(ctx.Resume ? ", resuming" : "")})");

    /// <summary>
    /// Prepares, trains (or, without a trainer, exports) and scores one run in <paramref name="dir"/>, printing as it
    /// goes; the results, or null when interrupted (<paramref name="code"/> 130) or when there is nothing to score.
    /// </summary>
    public static TResults? TrainOne<TConfig, TResults>(TrainTask<TConfig, TResults> task, IAnsiConsole console, TConfig cfg, string dir, bool resume, out int code)
        where TConfig : class, IRunConfig, new() where TResults : class
    {
        code = 0;
        var run = task.Prepare(cfg, dir, resume, line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
        TrainingResult? training = null;
        if (run.Trainer is null)
        {
            console.MarkupLine("[grey]the model has no parameters: nothing to train[/]");
            run.ExportUntrained();
        }
        else
        {
            training = TrainingProgress.RunInterruptible(console, run.Trainer, dir, resume);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"training ended after {training.Steps} updates: {Markup.Escape(training.StopReason)}; best validation {task.Best(training.BestScore)}"));
            if (training.Cancelled)
            {
                code = 130;
                return null;
            }
        }
        console.MarkupLine("[grey]scoring the best model …[/]");
        TensorMemory.ReleaseBetweenPhases();
        var results = FinishedRun.Evaluate(dir, training, () => run.Evaluate(training));
        if (results is not null) console.MarkupLine(task.Summary(cfg, results));
        console.MarkupLine($"model: {Markup.Escape(Path.Combine(dir, "model"))}   curve: {Markup.Escape(Path.Combine(dir, "curve.svg"))}   results: {Markup.Escape(Path.Combine(dir, "results.json"))}");
        return results;
    }
}
