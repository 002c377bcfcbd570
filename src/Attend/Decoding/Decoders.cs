// Decoding of translation models: batched greedy and sampled decoding, and beam search (BatchedBeam), over an
// IncrementalDecoder (the KV cache of the Transformer, the state of the RNN). The same decisions as the uncached
// reference decoders of the tests (on the golden models and on random ones); the beam shrinks as hypotheses finish,
// exactly as ../shared/golden/README.md §4.7 specifies, and the cache rows follow their parent hypotheses.
using Attend.Models;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>KV-cached greedy and beam decoding.</summary>
public static class Decoders
{
    /// <summary>
    /// Greedy decoding of a batch of sources (ids without BOS/EOS); each result ends with EOS unless cut at
    /// <paramref name="maxLength"/>. <paramref name="suppressed"/> ids are never chosen (Hugging Face's bad_words_ids).
    /// </summary>
    public static List<int[]> Greedy(Seq2SeqModel model, IReadOnlyList<int[]> sources, int maxLength, IReadOnlyCollection<int>? suppressed = null) =>
        Generate(model, sources, maxLength, suppressed is null or { Count: 0 } ? logits => Sampling.ArgMax(logits) : logits => ArgMaxExcept(logits, suppressed));

    private static int ArgMaxExcept(ReadOnlySpan<float> logits, IReadOnlyCollection<int> suppressed)
    {
        int best = -1;
        for (int i = 0; i < logits.Length; i++)
            if ((best < 0 || logits[i] > logits[best]) && !suppressed.Contains(i)) best = i;
        return best;
    }

    /// <summary>
    /// Sampled decoding of a batch of sources: each step draws from the temperature/top-k/top-p distribution with
    /// <paramref name="rng"/> (rows in order), so a seed reproduces the outputs.
    /// </summary>
    public static List<int[]> Sample(Seq2SeqModel model, IReadOnlyList<int[]> sources, int maxLength, SamplingOptions options, Rng rng)
    {
        if (options.Problem() is { } problem) throw new ArgumentException(problem);
        return Generate(model, sources, maxLength, logits => Sampling.Sample(logits, options, rng));
    }

    private delegate int Chooser(ReadOnlySpan<float> logits);

    /// <summary>Token-by-token decoding of a batch, choosing each row's next token with <paramref name="choose"/>.</summary>
    private static List<int[]> Generate(Seq2SeqModel model, IReadOnlyList<int[]> sources, int maxLength, Chooser choose)
    {
        using var _ = GradMode.Off();
        int b = sources.Count;
        if (b == 0) return [];
        maxLength = Math.Min(maxLength, model.MaxTargetLength);
        var decoder = IncrementalDecoder.Start(model, sources, maxLength);
        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var done = new bool[b];
        var tokens = Enumerable.Repeat(model.BosId, b).ToArray();
        for (int step = 0; step < maxLength && done.Contains(false); step++)
        {
            var logits = decoder.Step(tokens);
            int v = model.VocabSize;
            for (int i = 0; i < b; i++)
            {
                int best = choose(logits.Data.AsSpan(i * v, v));
                tokens[i] = best;
                if (done[i]) continue;
                outputs[i].Add(best);
                if (best == model.EosId) done[i] = true;
            }
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    /// <summary>Beam search for one source; all finished hypotheses sorted by normalised score (best first).</summary>
    public static List<Hypothesis> Beam(Seq2SeqModel model, int[] src, DecodeOptions options) => BatchedBeam.Decode(model, [src], options)[0];
}
