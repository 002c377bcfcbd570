// Text in, text out: tokenises sources (appending EOS, as in training), decodes with batched greedy search or beam
// search over the KV cache (or the RNN decoder's state), and detokenises. Used by validation, `attend translate` and `attend demo`.
using Attend.Models;
using Attend.Decoding;
using Attend.Nn;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Translation;

/// <summary>Translates text with a trained model and its tokenizer.</summary>
public sealed class Translator(Seq2SeqModel model, ITokenizer tokenizer)
{
    /// <summary>
    /// Source ids as the model saw them in training: the tokens, then EOS, truncated to <paramref name="maxLength"/>
    /// (default and at most: the longest source the model takes, <see cref="Seq2SeqModel.MaxSourceLength"/>).
    /// </summary>
    public int[] EncodeSource(string text, int? maxLength = null) => EncodeSource(text, out _, maxLength);

    /// <summary>As <see cref="EncodeSource(string, int?)"/>; <paramref name="fullLength"/> is the length before truncation.</summary>
    public int[] EncodeSource(string text, out int fullLength, int? maxLength = null)
    {
        int max = Math.Min(maxLength ?? int.MaxValue, model.MaxSourceLength);
        var ids = tokenizer.Encode(text);
        fullLength = ids.Length + 1;
        if (ids.Length > max - 1) ids = ids[..(max - 1)];
        return [.. ids, model.EosId];
    }

    /// <summary>Output ids without a final EOS.</summary>
    public static int[] StripEos(int[] tokens, int eos) => tokens.Length > 0 && tokens[^1] == eos ? tokens[..^1] : tokens;

    /// <summary>Translations of <paramref name="sources"/> (source ids as the model takes them) without EOS, in order.</summary>
    public List<int[]> TranslateIds(IReadOnlyList<int[]> sources, int beam = 1, float alpha = 0.6f, int maxLength = 128, int batchSize = 64) =>
        Decode(model, sources, beam, alpha, maxLength, batchSize);

    /// <summary>
    /// Outputs of <paramref name="model"/> for <paramref name="sources"/> without EOS, in input order: batched greedy decoding
    /// for beam 1, batched beam search otherwise (sources sorted by length so batches pad little). An empty source gives
    /// an empty output.
    /// </summary>
    public static List<int[]> Decode(Seq2SeqModel model, IReadOnlyList<int[]> sources, int beam = 1, float alpha = 0.6f, int maxLength = 128, int batchSize = 64)
    {
        var outputs = new int[sources.Count][];
        var order = Enumerable.Range(0, sources.Count).Where(i => sources[i].Length > 0).OrderBy(i => sources[i].Length).ToArray();
        foreach (int i in Enumerable.Range(0, sources.Count).Where(i => sources[i].Length == 0)) outputs[i] = [];
        int eos = model.EosId;
        if (beam <= 1)
        {
            for (int start = 0; start < order.Length; start += Math.Max(1, batchSize))
            {
                var chunk = order.Skip(start).Take(Math.Max(1, batchSize)).ToArray();
                var decoded = Decoders.Greedy(model, chunk.Select(i => sources[i]).ToList(), maxLength);
                for (int j = 0; j < chunk.Length; j++) outputs[chunk[j]] = StripEos(decoded[j], eos);
            }
            return [.. outputs];
        }
        var options = new DecodeOptions(maxLength, beam, alpha);
        int sourcesPerBatch = Math.Clamp(DecodeOptions.MaxBeamRows / beam, 1, Math.Max(1, batchSize)); // bounded rows; results do not depend on the batch
        for (int start = 0; start < order.Length; start += sourcesPerBatch)
        {
            var chunk = order.Skip(start).Take(sourcesPerBatch).ToArray();
            var decoded = BatchedBeam.Decode(model, chunk.Select(i => sources[i]).ToList(), options);
            for (int j = 0; j < chunk.Length; j++) outputs[chunk[j]] = StripEos(decoded[j][0].Tokens, eos);
        }
        return [.. outputs];
    }

    /// <summary>Translates lines of text (a blank line gives an empty translation).</summary>
    public List<string> Translate(IReadOnlyList<string> lines, int beam = 1, float alpha = 0.6f, int maxLength = 128, int batchSize = 64) =>
        TranslateIds(lines.Select(l => l.Trim().Length == 0 ? [] : EncodeSource(l)).ToList(), beam, alpha, maxLength, batchSize).Select(ids => tokenizer.Decode(ids)).ToList();
}
