// Text classification verbs:
//   attend classify --model DIR [--model DIR2 ...] [--json]   one text per line on standard input → "label<TAB>probability"
//       per line (with --json, one object per line with every class's probability); several models: their average
//   attend eval classification --model DIR [--model DIR2 ...] (--imdb ARCHIVE | --test FILE) [--json]
//       accuracy, macro-F1 and loss on labelled texts (the IMDB test split, or label<TAB>text lines)
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Tasks.Classification;
using Attend.Text.Corpora;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`classify` and `eval classification`.</summary>
public static class ClassifyCommands
{
    /// <summary>Creates `attend classify`.</summary>
    public static Command CreateClassify()
    {
        var model = ModelOption();
        var json = new Option<bool>("--json") { Description = "One JSON object per line: label, probability and every class's probability." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("classify", "Classify texts read from standard input, one per line; prints label<TAB>probability.") { model, json, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var classifier = ClassifierEnsemble.Load(r.GetValue(model)!);
            var labels = classifier.Labels;
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

    /// <summary>Creates `attend eval classification`.</summary>
    public static Command CreateEval()
    {
        var model = ModelOption();
        var imdb = new Option<string?>("--imdb") { Description = "aclImdb folder or .tar.gz: score its test split." };
        var test = new Option<string?>("--test") { Description = "label<TAB>text file to score." };
        var json = new Option<bool>("--json") { Description = "Print {\"accuracy\": …, \"macro_f1\": …, \"loss\": …, \"texts\": …, \"members\": …}." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("classification", "Accuracy, macro-F1 and loss of a classifier (or the average of several) on labelled texts.") { model, imdb, test, json, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            if ((r.GetValue(imdb) is null) == (r.GetValue(test) is null)) throw new UserErrorException("give exactly one of --imdb ARCHIVE and --test FILE");
            var ensemble = ClassifierEnsemble.Load(r.GetValue(model)!);
            var texts = r.GetValue(imdb) is { } archive ? ImdbTest(archive, ensemble.Labels) : LabelledTest(r.GetValue(test)!, ensemble.Labels);
            var (accuracy, f1, loss) = ensemble.Score(texts);
            if (r.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { accuracy = Math.Round(accuracy, 6), macro_f1 = Math.Round(f1, 6), loss = Math.Round(loss, 6), texts = texts.Count, members = ensemble.Members.Length }));
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"accuracy {accuracy:P2} (macro-F1 {f1:F4}, loss {loss:F4}) on {texts.Count:N0} texts, {ensemble.Members.Length} model{(ensemble.Members.Length == 1 ? "" : "s")}"));
            return 0;
        });
        return cmd;
    }

    // --model DIR, repeatable: several classifiers are read as one ensemble (their probabilities averaged)
    private static Option<string[]> ModelOption() => new("--model")
    {
        Description = "Classifier directory (from attend train classification); give it more than once to average an ensemble.",
        Required = true,
    };

    private static List<LabelledText> ImdbTest(string archive, string[] labels)
    {
        if (!labels.SequenceEqual(["neg", "pos"])) throw new UserErrorException($"--imdb: the model's labels are {string.Join(", ", labels)}, not IMDB's neg, pos");
        return ClassificationData.Imdb(archive, "test");
    }

    private static List<LabelledText> LabelledTest(string path, string[] labels) =>
        ClassificationData.ToIds(LabelledTextReader.Read(path), labels, path, "the model");
}
