// `attend train translation --config FILE [--set key=value ...] --out DIR [--resume]`: trains from a run config
// (configs/*.json) with the progress display, then scores the test set with beam search and prints sacreBLEU.
// `train lm` and `train markov` live in LmCommands.
using System.CommandLine;
using System.Globalization;
using Attend.Cli.Display;
using Attend.Kernels;
using Attend.Serialization;
using Attend.Training;
using Attend.Tasks.Translation;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>The `train` verb.</summary>
public static class TrainCommand
{
    /// <summary>Creates `attend train`.</summary>
    public static Command Create()
    {
        var cmd = new Command("train", "Train a model from a run config.");
        cmd.Add(CreateTranslation());
        cmd.Add(LmCommands.CreateTrainLm());
        cmd.Add(LmCommands.CreateTrainMarkov());
        cmd.Add(ForecastCommands.CreateTrain());
        cmd.Add(ClassifyCommands.CreateTrain());
        cmd.Add(TagCommands.CreateTrain());
        return cmd;
    }

    private static Command CreateTranslation()
    {
        var config = new Option<string>("--config") { Description = "Run config (JSON), e.g. configs/multi30k-de-en.json.", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a config key: --set train.max_minutes=30 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Run directory (checkpoints, best model, curve, results).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run directory's last checkpoint." };
        var cmd = new Command("translation", "Train a Transformer translator; score the test set with beam search.") { config, set, output, resume };
        cmd.SetAction(r =>
        {
            string path = r.GetValue(config)!;
            var cfg = RunConfigFile.Load<TranslationConfig>(path, r.GetValue(set) ?? []);
            if (cfg.Problem() is { } problem) throw new UserErrorException($"{path}: {problem}");
            Parallelism.Degree = cfg.Train.Threads > 0 ? cfg.Train.Threads : Environment.ProcessorCount;
            string dir = r.GetValue(output)!;
            bool resuming = r.GetValue(resume);
            RunDirectory.Check(dir, resuming);
            var console = AnsiConsole.Console;
            console.MarkupLine($"[bold]train translation[/] {Markup.Escape(path)} → {Markup.Escape(dir)} ({Parallelism.Degree} threads{(resuming ? ", resuming" : "")})");
            var run = TranslationRun.Prepare(cfg, dir, resuming, line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            var training = TrainingProgress.RunInterruptible(console, run.Trainer, dir, resuming);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"training ended after {training.Steps} updates: {Markup.Escape(training.StopReason)}; best validation score {training.BestScore:F2}"));
            if (training.Cancelled) return 130;
            if (cfg.Data.TestSource is null && cfg.Data.Tsv is null) return 0;
            console.MarkupLine($"[grey]translating the test set (beam {cfg.Eval.Beam}) …[/]");
            var results = FinishedRun.Evaluate(dir, training, () => run.Evaluate(training));
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"test BLEU [bold]{results.Bleu:F2}[/] (lowercased {results.BleuLowercase:F2}), chrF {results.Chrf:F2} on {results.Sentences:N0} sentences"));
            console.MarkupLine($"[grey]{Markup.Escape(results.Signature)}[/]");
            console.MarkupLine($"model: {Markup.Escape(Path.Combine(dir, "model"))}   curve: {Markup.Escape(Path.Combine(dir, "curve.svg"))}   results: {Markup.Escape(Path.Combine(dir, "results.json"))}");
            return 0;
        });
        return cmd;
    }
}
