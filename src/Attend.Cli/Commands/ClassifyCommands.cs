// Text classification verbs:
//   attend train classification --config configs/imdb.json [--set k=v] --out DIR [--resume] [--json]
//       train, then score validation and test (accuracy, macro-F1) into results.json
//   attend classify --model DIR [--json]   one text per line on standard input → "label<TAB>probability" per line
//       (with --json, one object per line with every class's probability)
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Tasks.Classification;
using Attend.Text.Corpora;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`train classification` and `classify`.</summary>
public static class ClassifyCommands
{
    /// <summary>Creates `attend train classification`.</summary>
    public static Command CreateTrain()
    {
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on the last line." };
        return RunConfigVerb.Create<ClassificationConfig>("classification",
            "Train a text classifier (Transformer encoder, BiLSTM or bag of n-grams); score validation and test.",
            "configs/imdb.json", c => c.Problem(), c => c.Train.Threads, ctx =>
            {
                var run = ClassificationRun.Prepare(ctx.Config, ctx.Dir, ctx.Resume, ctx.Log);
                return RunConfigVerb.TrainAndReport(ctx, run.Trainer, run.Evaluate, res => string.Create(CultureInfo.InvariantCulture,
                    $"test accuracy [bold]{res.TestAccuracy:P2}[/] (macro-F1 {res.TestMacroF1:F4}, loss {res.TestLoss:F4}) on {res.TestTexts:N0} texts; validation accuracy {res.ValidAccuracy:P2}; {res.TrainSeconds:F0} s of training"),
                    ctx.Parse.GetValue(json));
            }, json);
    }

    /// <summary>Creates `attend classify`.</summary>
    public static Command CreateClassify()
    {
        var model = new Option<string>("--model") { Description = "Classifier directory (from attend train classification).", Required = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: label, probability and every class's probability." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("classify", "Classify texts read from standard input, one per line; prints label<TAB>probability.") { model, json, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var classifier = Classifier.Load(r.GetValue(model)!);
            var labels = classifier.Model.Config.Labels;
            // lines are classified in blocks, so a long input streams out without holding everything in memory
            foreach (var block in TextLines.Read(CliApp.OpenInput(), "<stdin>").Chunk(256))
            {
                var texts = block.Select(t => string.IsNullOrWhiteSpace(t) ? "" : t).ToArray();
                foreach (var p in classifier.Classify(texts))
                {
                    Console.WriteLine(r.GetValue(json)
                        ? JsonSerializer.Serialize(new { label = p.Name, probability = Math.Round(p.Probability, 6), probabilities = labels.Zip(p.Probabilities).ToDictionary(x => x.First, x => Math.Round(x.Second, 6)) })
                        : string.Create(CultureInfo.InvariantCulture, $"{p.Name}\t{p.Probability:F4}"));
                }
            }
            return 0;
        });
        return cmd;
    }
}
