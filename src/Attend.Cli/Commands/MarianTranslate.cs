// `attend translate --model DIR` on a Hugging Face Marian directory (opus-mt): raw text in, text out, decoded as
// transformers' generate() decodes: greedy for one beam, else HuggingFaceBeam. The defaults come from the model's
// generation_config.json (else config.json): num_beams, length_penalty, max_length (or max_new_tokens) and bad_words_ids;
// --beam, --alpha (length_penalty) and --max-len (new tokens, EOS included) override them. With --ids, lines of source
// ids as the tokenizer makes them (with </s>) in, the ids generated after the decoder start token out (with </s> when
// produced).
using System.Globalization;
using System.Text.Json.Nodes;
using Attend.Decoding;
using Attend.Models;
using Attend.Serialization;
using Attend.Text.Corpora;

namespace Attend.Cli.Commands;

/// <summary>Translation with a Hugging Face Marian checkpoint.</summary>
internal static class MarianTranslate
{
    /// <summary>Translates stdin; <paramref name="beam"/>, <paramref name="alpha"/> and <paramref name="maxLen"/> are null when not given.</summary>
    public static int Run(string dir, bool asIds, int? beam, float? alpha, int? maxLen, int nbest)
    {
        var checkpoint = MarianCheckpoint.Load(dir);
        var model = checkpoint.Model;
        var generation = Defaults(dir);
        int k = beam ?? generation.Beams;
        float penalty = alpha ?? generation.LengthPenalty;
        int max = maxLen ?? generation.MaxNewTokens;
        if (k < 1 || k > DecodeOptions.MaxBeamWidth) throw new UserErrorException($"--beam must be between 1 and {DecodeOptions.MaxBeamWidth}, got {k}");
        if (nbest < 1 || nbest > k) throw new UserErrorException($"--nbest must be between 1 and the beam ({k})");
        var sources = new List<int[]>();
        long line = 0;
        foreach (var text in TextLines.Read(CliApp.OpenInput(), "<stdin>"))
        {
            line++;
            if (!asIds)
            {
                var ids = checkpoint.Tokenizer.EncodeSource(text);
                sources.Add(ids.Length > model.MaxSourceLength ? ids[..model.MaxSourceLength] : ids);
                continue;
            }
            var row = new List<int>();
            foreach (var field in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id >= model.VocabSize)
                    throw new DataFormatException("<stdin>", line, $"'{field}' is not a token id (expected an integer in [0, {model.VocabSize}))");
                row.Add(id);
            }
            if (row.Count == 0) throw new DataFormatException("<stdin>", line, "an empty source: expected at least one token id (the tokenizer ends every source with </s>)");
            if (row.Count > model.MaxSourceLength) throw new DataFormatException("<stdin>", line, $"{row.Count} source tokens, more than the model's {model.MaxSourceLength} positions");
            sources.Add([.. row]);
        }
        string Show(int[] tokens) => asIds ? string.Join(' ', tokens) : checkpoint.Tokenizer.Decode(tokens);
        var output = Console.Out;
        if (k == 1)
        {
            foreach (var tokens in Decoders.Greedy(model, sources, max, generation.Suppressed)) output.WriteLine(Show(tokens));
            return 0;
        }
        var results = HuggingFaceBeam.Decode(model, sources, k, penalty, max, generation.Suppressed);
        for (int i = 0; i < results.Count; i++)
        {
            if (nbest == 1) output.WriteLine(Show(results[i][0].Tokens));
            else foreach (var h in results[i].Take(nbest)) output.WriteLine(FormattableString.Invariant($"{i} ||| {Show(h.Tokens)} ||| {h.Score:F6}"));
        }
        return 0;
    }

    private sealed record Generation(int Beams, float LengthPenalty, int MaxNewTokens, int[] Suppressed);

    // generation_config.json where present, else config.json; Hugging Face's own defaults for what neither says
    private static Generation Defaults(string dir)
    {
        string path = Path.Combine(dir, "generation_config.json");
        if (!File.Exists(path)) path = ModelDirectory.ConfigPath(dir);
        var root = ModelDirectory.ReadJsonObject(path);
        int beams = HuggingFaceConfig.Int(root, "num_beams", path) ?? 1;
        float penalty = (float)(HuggingFaceConfig.Number(root, "length_penalty", path) ?? 1.0);
        int maxNew = HuggingFaceConfig.Int(root, "max_new_tokens", path) ?? (HuggingFaceConfig.Int(root, "max_length", path) ?? 20) - 1;  // max_length counts the start token
        var suppressed = new List<int>();
        if (root["bad_words_ids"] is JsonArray bad)
            foreach (var entry in bad)
            {
                if (entry is not JsonArray { Count: 1 } one || one[0] is not JsonValue v || !v.TryGetValue(out int id))
                    throw new DataFormatException(path, 0, "field 'bad_words_ids': only single-token entries ([[id], …]) are supported");
                suppressed.Add(id);
            }
        if (maxNew < 1) throw new DataFormatException(path, 0, "field 'max_length': leaves no token to generate");
        return new Generation(beams, penalty, maxNew, [.. suppressed]);
    }
}
