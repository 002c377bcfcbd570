// Beam search over a batch of sources at once, the one beam search behind Decoders.Beam: every source keeps its
// own beam as ../shared/golden/README.md §4.7 specifies (k = width − finished, hypotheses ending in EOS leave the beam, ties to the
// earlier hypothesis and smaller token, the same decisions as the reference decoders of the tests),
// while one decoder step serves the alive hypotheses of all sources together, so the products are B·K rows deep
// instead of K. Sources whose beams are done drop out of the decoder's rows.
using Attend.Models;
using Attend.Autograd;
using Attend.Nn;

namespace Attend.Decoding;

/// <summary>Batched beam search.</summary>
public static class BatchedBeam
{
    /// <summary>
    /// For each source (ids without BOS, with EOS as the model was trained), all finished hypotheses sorted by
    /// normalised score (best first) — the same lists each source gets when decoded alone.
    /// </summary>
    public static List<List<Hypothesis>> Decode(Seq2SeqModel model, IReadOnlyList<int[]> sources, DecodeOptions options)
    {
        using var _ = GradMode.Off();
        int b = sources.Count;
        if (b == 0) return [];
        var decoder = IncrementalDecoder.Start(model, sources, Math.Min(options.MaxLength, model.MaxTargetLength));
        int v = model.VocabSize;
        // per source: its alive hypotheses (in decoder-row order) and finished ones
        var alive = Enumerable.Range(0, b).Select(_ => new List<(List<int> Seq, double LogProb)> { ([], 0.0) }).ToArray();
        var finished = Enumerable.Range(0, b).Select(_ => new List<(List<int> Seq, double LogProb)>()).ToArray();
        var active = Enumerable.Range(0, b).ToList();                          // sources with rows in the decoder, in row order
        var feed = Enumerable.Repeat(model.BosId, b).ToArray();
        int maxLength = Math.Min(options.MaxLength, model.MaxTargetLength); // the decoder cannot see past its positions
        for (int step = 1; step <= maxLength && active.Count > 0; step++)
        {
            var logp = Ops.LogSoftmax(decoder.Step(feed));                   // (rows, V)
            int banned = step <= options.MinLength ? model.EosId : -1;
            var parents = new List<int>();
            var tokens = new List<int>();
            var stillActive = new List<int>();
            int row = 0;
            foreach (int src_ in active)
            {
                int rows = alive[src_].Count, k = options.BeamWidth - finished[src_].Count;
                var top = TopCandidates(alive[src_], logp.Data.AsSpan(row * v, rows * v), v, k, banned);
                var next = new List<(List<int>, double)>();
                foreach (var c in top)
                {
                    var seq = new List<int>(alive[src_][c.Hyp].Seq) { c.Token };
                    if (c.Token == model.EosId)
                    {
                        finished[src_].Add((seq, c.LogProb));
                        continue;
                    }
                    next.Add((seq, c.LogProb));
                    parents.Add(row + c.Hyp);
                    tokens.Add(c.Token);
                }
                alive[src_] = next;
                // the beam of this source is done when it has width finished hypotheses or nothing alive
                if (next.Count > 0 && finished[src_].Count < options.BeamWidth) stillActive.Add(src_);
                else if (next.Count > 0)
                {
                    parents.RemoveRange(parents.Count - next.Count, next.Count);
                    tokens.RemoveRange(tokens.Count - next.Count, next.Count);
                }
                row += rows;
            }
            active = stillActive;
            if (active.Count == 0) break;
            decoder.Reorder([.. parents]);
            feed = [.. tokens];
        }
        var results = new List<List<Hypothesis>>(b);
        for (int i = 0; i < b; i++)
        {
            var all = finished[i].Concat(alive[i]);
            results.Add(all.Select(f => new Hypothesis([.. f.Seq], f.LogProb, options.Normalise(f.LogProb, f.Seq.Count)))
                .OrderByDescending(h => h.Score).ToList());
        }
        return results;
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
}
