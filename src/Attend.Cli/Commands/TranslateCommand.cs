// `attend translate --model DIR`: lines of text on stdin → one translated line per input, tokenised and detokenised
// with the model's tokenizer.json (the source gets EOS appended, as in training). With --ids, lines of space-separated
// source ids in and output ids out (BOS/EOS stripped, nothing appended). Greedy (batched) for beam 1 and beam search
// otherwise; with --nbest N > 1, N lines per input in the form "i ||| output ||| score". A Hugging Face Marian directory
// is translated as transformers does it (MarianTranslate).
using Attend.Models;
using System.CommandLine;
using Attend.Decoding;
using Attend.Serialization;
using Attend.Tasks.Translation;
using Attend.Text.Corpora;

namespace Attend.Cli.Commands;

/// <summary>The `translate` verb.</summary>
public static class TranslateCommand
{
    /// <summary>Creates `attend translate`.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory (Attend's, or a Hugging Face Marian/opus-mt directory).", Required = true };
        var ids = new Option<bool>("--ids") { Description = "Read and write token ids instead of text." };
        var beam = new Option<int>("--beam") { Description = "Beam width (1 = greedy).", DefaultValueFactory = _ => 1 };
        var alpha = new Option<float>("--alpha") { Description = "Length normalisation: score / len^alpha (Hugging Face models: length_penalty).", DefaultValueFactory = _ => 0.6f };
        var maxLen = new Option<int>("--max-len") { Description = "Most tokens to generate (EOS included).", DefaultValueFactory = _ => 128 };
        var nbest = new Option<int>("--nbest") { Description = "Hypotheses to print per input (≤ beam).", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Sentences decoded together by greedy search.", DefaultValueFactory = _ => 64 };
        var cmd = new Command("translate", "Translate stdin line by line.") { model, ids, beam, alpha, maxLen, nbest, batch };
        cmd.SetAction(r =>
        {
            if (MarianCheckpoint.IsMarian(r.GetValue(model)!))
            {
                // a Hugging Face Marian directory: its own defaults (generation_config.json) unless given here
                return MarianTranslate.Run(r.GetValue(model)!, r.GetValue(ids), r.GetResult(beam) is { Implicit: false } ? r.GetValue(beam) : null,
                    r.GetResult(alpha) is { Implicit: false } ? r.GetValue(alpha) : null, r.GetResult(maxLen) is { Implicit: false } ? r.GetValue(maxLen) : null, r.GetValue(nbest));
            }
            int k = r.GetValue(beam), n = r.GetValue(nbest), max = r.GetValue(maxLen);
            if (k < 1 || k > DecodeOptions.MaxBeamWidth) throw new UserErrorException($"--beam must be between 1 and {DecodeOptions.MaxBeamWidth}, got {k}");
            if (n < 1 || n > k) throw new UserErrorException($"--nbest must be between 1 and --beam ({k})");
            if (max < 1) throw new UserErrorException("--max-len must be at least 1");
            if (r.GetValue(batch) < 1) throw new UserErrorException("--batch must be at least 1");
            string dir = r.GetValue(model)!;
            var loaded = ModelRegistry.Load<Seq2SeqModel>(dir);
            var m = loaded.Model;
            bool asIds = r.GetValue(ids);
            if (!asIds && loaded.Tokenizer is null)
                throw new UserErrorException($"{Path.Combine(dir, "tokenizer.json")} is missing: text needs the model's tokenizer (or pass --ids with token ids)");
            var translator = asIds ? null : new Translator(m, loaded.Tokenizer!);
            // the decoders stop at the model's positions themselves; this only says so when the user asked for more
            if (max > m.MaxTargetLength && r.GetResult(maxLen) is { Implicit: false })
                Console.Error.WriteLine($"note: --max-len {max} is more than the model's {m.MaxTargetLength} positions; outputs stop at {m.MaxTargetLength} tokens");
            long truncated = 0, firstTruncated = 0;
            void Truncated(long lineNumber, int length)
            {
                if (truncated++ > 0) return;
                firstTruncated = lineNumber;
                Console.Error.WriteLine($"note: <stdin>:{lineNumber}: {length} source tokens, more than the model's {m.MaxSourceLength} positions: only the first {m.MaxSourceLength} are translated");
            }
            string Show(int[] tokens) => translator is null ? string.Join(' ', Translator.StripEos(tokens, m.EosId)) : loaded.Tokenizer!.Decode(Translator.StripEos(tokens, m.EosId));
            var sources = new List<int[]>();
            long line = 0;
            foreach (var text in TextLines.Read(CliApp.OpenInput(), "<stdin>"))
            {
                line++;
                if (translator is not null)
                {
                    if (text.Trim().Length == 0)
                    {
                        sources.Add([]);
                        continue;
                    }
                    sources.Add(translator.EncodeSource(text, out int full));
                    if (full > m.MaxSourceLength) Truncated(line, full);
                    continue;
                }
                var row = new List<int>();
                foreach (var field in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(field, out int id) || id < 0 || id >= m.VocabSize)
                        throw new DataFormatException("<stdin>", line, $"'{field}' is not a token id (expected an integer in [0, {m.VocabSize}))");
                    row.Add(id);
                }
                if (row.Count > m.MaxSourceLength)
                {
                    Truncated(line, row.Count);
                    row.RemoveRange(m.MaxSourceLength, row.Count - m.MaxSourceLength);
                }
                sources.Add([.. row]);
            }
            if (truncated > 1) Console.Error.WriteLine($"note: {truncated} lines were longer than the model's {m.MaxSourceLength} positions and were truncated (the first: line {firstTruncated})");
            var output = Console.Out;
            if (n == 1)
            {
                foreach (var tokens in Translator.Decode(m, sources, k, r.GetValue(alpha), max, r.GetValue(batch))) output.WriteLine(Show(tokens));
                return 0;
            }
            var options = new DecodeOptions(max, k, r.GetValue(alpha));
            for (int i = 0; i < sources.Count; i++)
            {
                if (sources[i].Length == 0)
                {
                    output.WriteLine($"{i} ||| ||| 0");
                    continue;
                }
                foreach (var h in Decoders.Beam(m, sources[i], options).Take(n)) output.WriteLine(FormattableString.Invariant($"{i} ||| {Show(h.Tokens)} ||| {h.Score:F6}"));
            }
            return 0;
        });
        return cmd;
    }
}
