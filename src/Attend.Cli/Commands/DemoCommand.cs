// `attend demo [--out DIR] [--json]`: the README's main job. Trains a small Transformer on built-in dates (see
// DateDemo) with the progress display, prints a few held-out translations and the exact-match accuracy, and writes
// the attention heatmap, learning curve and model. With --json the progress goes to stderr and the last stdout line
// is {"exact_match": …, "seconds": …, "heatmap": "…"}.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Kernels;
using Attend.Tasks.Translation;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>The `demo` verb.</summary>
public static class DemoCommand
{
    /// <summary>Creates `attend demo`.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for the model, heatmap and curve.", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary as the last line (progress goes to stderr)." };
        var updates = new Option<long>("--updates") { Description = "Optimizer updates (the demo's own count by default; fewer only for a quick look).", DefaultValueFactory = _ => new DateDemoOptions().Updates };
        var seed = new Option<int>("--seed") { Description = "Seed of the data, initialisation and dropout.", DefaultValueFactory = _ => 1 };
        var threads = CommonOptions.Threads();
        var cmd = new Command("demo", "Train a small Transformer to translate dates written in words into ISO dates, in about two minutes.") { output, json, updates, seed, threads };
        cmd.SetAction(r =>
        {
            if (r.GetValue(updates) is < 1 or > 1_000_000) throw new UserErrorException($"--updates must be between 1 and 1,000,000, got {r.GetValue(updates)}");
            CommonOptions.ApplyThreads(r.GetValue(threads));
            bool asJson = r.GetValue(json);
            var console = asJson ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            string dir = r.GetValue(output)!;
            if (File.Exists(dir)) throw new UserErrorException($"--out: {dir} is a file; expected a directory for the demo's outputs");
            var options = new DateDemoOptions { Seed = r.GetValue(seed), Updates = r.GetValue(updates) };
            console.MarkupLine("[bold]Attend demo[/]: a Transformer learns to rewrite dates such as [blue]\"saturday, march 14, 1998\"[/] as [blue]1998-03-14[/].");
            console.MarkupLine($"[grey]{options.TrainPairs:N0} generated training pairs, {options.TestPairs:N0} held-out test pairs; {Parallelism.Degree} threads; output in {Markup.Escape(dir)}[/]");
            var result = TrainingProgress.Show(console, "training", observer => DateDemo.Run(dir, options, observer));
            var table = new Table().AddColumns("source", "output", "reference", "");
            foreach (var e in result.Examples.Take(8))
                table.AddRow(Markup.Escape(e.Source), Markup.Escape(e.Output), Markup.Escape(e.Reference), e.Correct ? "[green]✓[/]" : "[red]✗[/]");
            console.Write(table);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"exact match on {result.TestCount:N0} held-out dates: [bold]{result.ExactMatch:P1}[/] after {result.Training.Steps} updates, {result.Seconds:F0} s in all"));
            console.MarkupLine($"attention heatmap: {Markup.Escape(result.HeatmapPath)}   learning curve: {Markup.Escape(result.CurvePath)}   model: {Markup.Escape(result.ModelPath)}");
            if (asJson)
                Console.Out.WriteLine(JsonSerializer.Serialize(new { exact_match = Math.Round(result.ExactMatch, 4), seconds = Math.Round(result.Seconds, 1), heatmap = result.HeatmapPath }));
            return 0;
        });
        return cmd;
    }
}
