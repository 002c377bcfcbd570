// `attend eval bleu|chrf`: sacreBLEU-identical corpus scores of a hypothesis file against one or more reference files;
// `eval forecast`, `eval tagging` and `eval classification` score trained models (defined beside their verbs).
using System.CommandLine;
using System.Text.Json;
using Attend.Text.Corpora;
using Attend.Text.Metrics;

namespace Attend.Cli.Commands;

/// <summary>The `eval` verb.</summary>
public static class EvalCommand
{
    /// <summary>Creates `attend eval`.</summary>
    public static Command Create()
    {
        var eval = new Command("eval", "Score outputs against references.");
        eval.Add(CreateMetric("bleu", "Corpus BLEU, identical to sacreBLEU 2.x defaults (13a, exp smoothing)."));
        eval.Add(CreateMetric("chrf", "Corpus chrF2, identical to sacreBLEU 2.x defaults."));
        eval.Add(ForecastCommands.CreateEval());
        eval.Add(TagCommands.CreateEval());
        eval.Add(ClassifyCommands.CreateEval());
        return eval;
    }

    private static Command CreateMetric(string metric, string description)
    {
        var hyp = new Option<string>("--hyp") { Description = "Hypothesis file, one sentence per line (plain or .gz).", Required = true };
        var refs = new Option<string[]>("--ref") { Description = "Reference file(s), line-aligned with --hyp; repeat for several references.", Required = true, AllowMultipleArgumentsPerToken = true };
        var lowercase = new Option<bool>("--lowercase") { Description = "Lowercase hypotheses and references first (sacreBLEU -lc)." };
        var json = new Option<bool>("--json") { Description = "Print {\"score\": ..., \"signature\": ...}." };
        var cmd = new Command(metric, description) { hyp, refs, lowercase, json };
        cmd.SetAction(r =>
        {
            string hypPath = r.GetValue(hyp)!;
            var hyps = TextLines.Read(hypPath).ToList();
            var streams = new List<IReadOnlyList<string>>();
            foreach (var path in r.GetValue(refs)!)
            {
                var lines = TextLines.Read(path).ToList();
                if (lines.Count != hyps.Count)
                    throw new UserErrorException($"{path} has {lines.Count} lines but {hypPath} has {hyps.Count}; references must be line-aligned with the hypotheses");
                streams.Add(lines);
            }
            bool lc = r.GetValue(lowercase);
            (double score, string signature, string summary) = metric == "bleu"
                ? Bleu.Corpus(hyps, streams, lc) is var b ? (b.Score, b.Signature, b.ToString()) : default
                : Chrf.Corpus(hyps, streams, lc) is var c ? (c.Score, c.Signature, c.ToString()) : default;
            if (r.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(new { score, signature }));
            else Console.WriteLine($"{summary}\n{signature}");
            return 0;
        });
        return cmd;
    }
}
