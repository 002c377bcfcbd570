// Greedy and beam-search decoding for the seq2seq Transformer, exactly as ../shared/golden/README.md §4.7 specifies:
// greedy takes the arg-max over all tokens until EOS or the length limit; beam search keeps the k best raw cumulative
// log-probs (k = width − finished), moves hypotheses ending in EOS to the finished list (the beam shrinks), and ranks
// the final hypotheses by score / len^α (or GNMT's ((5 + len)/6)^α). These versions recompute the decoder over the
// whole prefix at each step: they are the test oracle of Decoders and BatchedBeam, and live with the tests.
using Attend.Autograd;
using Attend.Decoding;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Decoding;

/// <summary>Reference (uncached) decoders: the oracle the cached ones are tested against.</summary>
internal static class ReferenceDecoders
{
    /// <summary>Greedy decoding of one source row (ids without BOS/EOS/padding, or padded with pad ids).</summary>
    public static int[] Greedy(Seq2SeqTransformer model, int[] src, int maxLength)
    {
        using var _ = GradMode.Off();
        var cfg = model.Config;
        var memory = model.Encode(src, 1, src.Length);
        var memoryPad = model.PaddingMask(src, 1, src.Length);
        var ys = new List<int> { cfg.BosId };
        for (int step = 0; step < maxLength; step++)
        {
            var logits = model.Decode([.. ys], 1, ys.Count, memory, memoryPad); // (1, t, V)
            int v = cfg.VocabSize;
            int best = Sampling.ArgMax(logits.Data.AsSpan((ys.Count - 1) * v, v));
            ys.Add(best);
            if (best == cfg.EosId) break;
        }
        return [.. ys.Skip(1)];
    }

    /// <summary>Beam search for one source row; returns all finished hypotheses sorted by normalised score.</summary>
    public static List<Hypothesis> Beam(Seq2SeqTransformer model, int[] src, DecodeOptions options)
    {
        using var _ = GradMode.Off();
        var cfg = model.Config;
        var memory1 = model.Encode(src, 1, src.Length);
        var memoryPad1 = model.PaddingMask(src, 1, src.Length);
        var alive = new List<(List<int> Seq, double LogProb)> { ([], 0.0) };
        var finished = new List<(List<int> Seq, double LogProb)>();
        for (int step = 1; step <= options.MaxLength; step++)
        {
            int k = options.BeamWidth - finished.Count;
            if (k <= 0) break;
            int n = alive.Count, t = step;
            var ids = new int[n * t];
            for (int h = 0; h < n; h++)
            {
                ids[h * t] = cfg.BosId;
                for (int j = 0; j < alive[h].Seq.Count; j++) ids[h * t + 1 + j] = alive[h].Seq[j];
            }
            var memory = n == 1 ? memory1 : Ops.Concat(Enumerable.Repeat(memory1, n).ToArray(), 0);
            var memoryPad = new Mask(Enumerable.Repeat(memoryPad1.Data, n).SelectMany(x => x).ToArray(), new Shape(n, src.Length));
            var last = Ops.Reshape(Ops.Slice(model.Decode(ids, n, t, memory, memoryPad), 1, t - 1, 1), n, cfg.VocabSize);
            var logp = Ops.LogSoftmax(last);
            var candidates = new List<(int Hyp, int Token, double LogProb)>(n * cfg.VocabSize);
            for (int h = 0; h < n; h++)
            {
                for (int tok = 0; tok < cfg.VocabSize; tok++)
                {
                    if (tok == cfg.EosId && step <= options.MinLength) continue;
                    candidates.Add((h, tok, alive[h].LogProb + logp.Data[h * cfg.VocabSize + tok]));
                }
            }
            // highest cumulative log-prob first; ties: earlier hypothesis, then smaller token id
            var top = candidates.OrderByDescending(c => c.LogProb).ThenBy(c => c.Hyp).ThenBy(c => c.Token).Take(k).ToList();
            var next = new List<(List<int>, double)>();
            foreach (var c in top)
            {
                var seq = new List<int>(alive[c.Hyp].Seq) { c.Token };
                if (c.Token == cfg.EosId) finished.Add((seq, c.LogProb));
                else next.Add((seq, c.LogProb));
            }
            alive = next;
            if (alive.Count == 0) break;
        }
        finished.AddRange(alive);
        return finished.Select(f => new Hypothesis([.. f.Seq], f.LogProb, options.Normalise(f.LogProb, f.Seq.Count)))
            .OrderByDescending(h => h.Score).ToList();
    }

}
