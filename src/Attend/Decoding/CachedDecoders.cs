// The decoders used in practice: batched greedy decoding and beam search over the KV cache. Same decisions as the
// reference decoders in Decoders (tested on the golden models and on random ones); the beam shrinks as hypotheses
// finish, exactly as golden §4.7 specifies, and the cache rows follow their parent hypotheses.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>KV-cached greedy and beam decoding.</summary>
public static class CachedDecoders
{
    /// <summary>Greedy decoding of a batch of sources (ids without BOS/EOS); each result ends with EOS unless cut at <paramref name="maxLength"/>.</summary>
    public static List<int[]> Greedy(Seq2SeqModel model, IReadOnlyList<int[]> sources, int maxLength) =>
        Generate(model, sources, maxLength, logits => Sampling.ArgMax(logits));

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
        var decoder = IncrementalDecoder.Start(model, sources);
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

    /// <summary>
    /// The k best (hypothesis, token) extensions by cumulative log-prob, best first; ties keep the earlier hypothesis and
    /// then the smaller token (the scan order), as the reference decoder's stable sort does. <paramref name="banned"/> is
    /// a token not allowed this step (EOS before the minimum length), or −1.
    /// </summary>
    internal static List<(int Hyp, int Token, double LogProb)> TopCandidates(List<(List<int> Seq, double LogProb)> alive, ReadOnlySpan<float> logp, int v, int k, int banned)
    {
        var best = new List<(int Hyp, int Token, double LogProb)>(k + 1);
        for (int h = 0; h < alive.Count; h++)
        {
            double baseLp = alive[h].LogProb;
            for (int tok = 0; tok < v; tok++)
            {
                if (tok == banned) continue;
                double lp = baseLp + logp[h * v + tok];
                if (best.Count == k && lp <= best[^1].LogProb) continue;
                int pos = best.Count;
                while (pos > 0 && best[pos - 1].LogProb < lp) pos--;
                best.Insert(pos, (h, tok, lp));
                if (best.Count > k) best.RemoveAt(k);
            }
        }
        return best;
    }

    /// <summary>Beam search for one source; all finished hypotheses sorted by normalised score (best first).</summary>
    public static List<Hypothesis> Beam(Seq2SeqModel model, int[] src, DecodeOptions options)
    {
        using var _ = GradMode.Off();
        int s = Math.Max(1, src.Length);
        var decoder = IncrementalDecoder.Start(model, src.Length == 0 ? [model.PadId] : src, 1, s);
        var alive = new List<(List<int> Seq, double LogProb)> { ([], 0.0) };
        var finished = new List<(List<int> Seq, double LogProb)>();
        var feed = new[] { model.BosId };
        int v = model.VocabSize;
        for (int step = 1; step <= options.MaxLength; step++)
        {
            int k = options.BeamWidth - finished.Count;
            if (k <= 0) break;
            var logp = Ops.LogSoftmax(decoder.Step(feed)); // (n, V)
            var top = TopCandidates(alive, logp.Data, v, k, step <= options.MinLength ? model.EosId : -1);
            var next = new List<(List<int>, double)>();
            var parents = new List<int>();
            var tokens = new List<int>();
            foreach (var c in top)
            {
                var seq = new List<int>(alive[c.Hyp].Seq) { c.Token };
                if (c.Token == model.EosId)
                {
                    finished.Add((seq, c.LogProb));
                    continue;
                }
                next.Add((seq, c.LogProb));
                parents.Add(c.Hyp);
                tokens.Add(c.Token);
            }
            alive = next;
            if (alive.Count == 0) break;
            decoder.Reorder([.. parents]);
            feed = [.. tokens];
        }
        finished.AddRange(alive);
        return finished.Select(f => new Hypothesis([.. f.Seq], f.LogProb, Decoders.Normalise(f.LogProb, f.Seq.Count, options)))
            .OrderByDescending(h => h.Score).ToList();
    }
}
