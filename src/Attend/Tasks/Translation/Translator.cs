// Text in, text out: tokenises sources (appending EOS, as in training), decodes with batched greedy search or beam
// search over the KV cache, and detokenises. Used by validation, `attend translate` and `attend demo`.
using Attend.Decoding;
using Attend.Nn;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Translation;

/// <summary>Translates text with a trained model and its tokenizer.</summary>
public sealed class Translator(Seq2SeqTransformer model, ITokenizer tokenizer)
{
    /// <summary>Source ids as the model saw them in training: the tokens, then EOS (truncated to <paramref name="maxLength"/>).</summary>
    public int[] EncodeSource(string text, int maxLength = 256)
    {
        var ids = tokenizer.Encode(text);
        if (ids.Length > maxLength - 1) ids = ids[..(maxLength - 1)];
        return [.. ids, model.Config.EosId];
    }

    /// <summary>Output ids without a final EOS.</summary>
    public static int[] StripEos(int[] tokens, int eos) => tokens.Length > 0 && tokens[^1] == eos ? tokens[..^1] : tokens;

    /// <summary>Translations of <paramref name="sources"/> (token ids with EOS), in order: greedy for beam 1, batched by <paramref name="batchSize"/>.</summary>
    public List<int[]> TranslateIds(IReadOnlyList<int[]> sources, int beam = 1, float alpha = 0.6f, int maxLength = 128, int batchSize = 64)
    {
        var results = new List<int[]>(sources.Count);
        if (beam <= 1)
        {
            // sort by length so a batch pads little; put results back in input order
            var order = Enumerable.Range(0, sources.Count).OrderBy(i => sources[i].Length).ToArray();
            var outputs = new int[sources.Count][];
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var chunk = order.Skip(start).Take(batchSize).ToArray();
                var decoded = CachedDecoders.Greedy(model, chunk.Select(i => sources[i]).ToList(), maxLength);
                for (int j = 0; j < chunk.Length; j++) outputs[chunk[j]] = StripEos(decoded[j], model.Config.EosId);
            }
            results.AddRange(outputs);
            return results;
        }
        var options = new DecodeOptions(maxLength, beam, alpha);
        foreach (var src in sources) results.Add(StripEos(CachedDecoders.Beam(model, src, options)[0].Tokens, model.Config.EosId));
        return results;
    }

    /// <summary>Translates lines of text.</summary>
    public List<string> Translate(IReadOnlyList<string> lines, int beam = 1, float alpha = 0.6f, int maxLength = 128, int batchSize = 64) =>
        TranslateIds(lines.Select(l => EncodeSource(l)).ToList(), beam, alpha, maxLength, batchSize).Select(ids => tokenizer.Decode(ids)).ToList();
}
