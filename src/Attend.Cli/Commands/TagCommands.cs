// Sequence tagging verbs:
//   attend tag --model DIR [--format slash|tsv]   one tokenised sentence per line on standard input (words separated
//       by spaces) → "word/TAG word/TAG …" per line, or word<TAB>tag lines with a blank line after each sentence
//   attend eval tagging --model DIR --conllu F [--json]   word accuracy against a CoNLL-U file's gold tags, per tag too
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Tasks.Tagging;
using Attend.Text.Corpora;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`tag` and `eval tagging`.</summary>
public static class TagCommands
{
    /// <summary>Creates `attend tag`.</summary>
    public static Command CreateTag()
    {
        var model = new Option<string>("--model") { Description = "Tagger directory (from attend train tagging).", Required = true };
        var format = new Option<string>("--format") { Description = "slash: word/TAG per sentence line; tsv: word<TAB>tag lines, a blank line after each sentence.", DefaultValueFactory = _ => "slash" };
        format.AcceptOnlyFromAmong("slash", "tsv");
        var threads = CommonOptions.Threads();
        var cmd = new Command("tag", "Tag tokenised sentences read from standard input, one per line (words separated by spaces).") { model, format, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var tagger = SequenceTagger.Load(r.GetValue(model)!);
            var tags = tagger.Model.Config.Labels;
            bool tsv = r.GetValue(format) == "tsv";
            foreach (var block in TextLines.Read(CliApp.OpenInput(), "<stdin>").Chunk(256))
            {
                var sentences = block.Select(line => (IReadOnlyList<string>)line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
                var predicted = tagger.Predict(sentences);
                for (int s = 0; s < sentences.Count; s++)
                {
                    if (tsv)
                    {
                        for (int i = 0; i < sentences[s].Count; i++) Console.WriteLine($"{sentences[s][i]}\t{tags[predicted[s][i]]}");
                        Console.WriteLine();
                    }
                    else
                    {
                        Console.WriteLine(string.Join(' ', sentences[s].Select((w, i) => $"{w}/{tags[predicted[s][i]]}")));
                    }
                }
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Creates `attend eval tagging`.</summary>
    public static Command CreateEval()
    {
        var model = new Option<string>("--model") { Description = "Tagger directory.", Required = true };
        var conllu = new Option<string>("--conllu") { Description = "CoNLL-U file with gold tags (e.g. ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"accuracy\": …, \"words\": …, \"per_tag\": {…}}." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("tagging", "Word accuracy of a tagger against a CoNLL-U file's gold tags, overall and per tag.") { model, conllu, json, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var tagger = SequenceTagger.Load(r.GetValue(model)!);
            var tags = tagger.Model.Config.Labels;
            var sentences = TaggedSentences.ReadForScoring(r.GetValue(conllu)!, tagger.Model.Config.Column, tags);
            var score = tagger.Score(sentences);
            string Name(int id) => id >= 0 ? tags[id] : "(unknown to the model)";
            if (r.GetValue(json))
            {
                var perTag = score.PerTag.OrderBy(p => Name(p.Key), StringComparer.Ordinal).ToDictionary(p => Name(p.Key), p => Math.Round((double)p.Value.Right / p.Value.Total, 4));
                Console.WriteLine(JsonSerializer.Serialize(new { accuracy = Math.Round(score.Accuracy, 4), words = score.Words, per_tag = perTag }));
                return 0;
            }
            var table = new Table().AddColumns("tag", "words", "accuracy");
            foreach (var (tag, (right, total)) in score.PerTag.OrderByDescending(p => p.Value.Total))
                table.AddRow(Markup.Escape(Name(tag)), total.ToString("N0", CultureInfo.InvariantCulture), ((double)right / total).ToString("P2", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {score.Accuracy:P2} on {score.Words:N0} words"));
            return 0;
        });
        return cmd;
    }
}
