// Beam search as Hugging Face's generate() runs it (generation/utils.py, _beam_search; early_stopping false), for
// checkpoints imported from Hugging Face, whose users expect the same translations as transformers gives. It differs
// from BatchedBeam (the shrinking beam of ../shared/golden/README.md §4.7 that Attend's own models use):
//   - every step, each running beam's next-token log-softmax (suppressed ids → −∞) is added to its running score, and
//     the best 2·K candidates over all beams are taken in descending order (at the first step only one beam is live);
//   - a candidate finishes if its token is EOS or if it reaches the maximum length; finished candidates among the top K
//     of the 2·K enter the sentence's finished list with score Σ log p / n^length_penalty (n = tokens generated, EOS
//     included), which keeps the best K; the next running beams are the best K candidates that did not finish;
//   - once K hypotheses are finished and the best running score / (tokens so far)^length_penalty is not above the
//     worst finished score, the sentence is closed.
// One decoder step serves the running beams of all open sentences together (the KV cache of IncrementalDecoder).
using Attend.Autograd;
using Attend.Models;

namespace Attend.Decoding;

/// <summary>Hugging Face's beam search (num_beams, length_penalty, max_new_tokens, bad_words_ids).</summary>
public static class HuggingFaceBeam
{
    /// <summary>
    /// For each source (ids as the tokenizer gives them, EOS included), the finished hypotheses best first (at most
    /// <paramref name="beams"/>): tokens after the decoder start token, EOS included when produced.
    /// </summary>
    public static List<List<Hypothesis>> Decode(Seq2SeqModel model, IReadOnlyList<int[]> sources, int beams, float lengthPenalty, int maxNewTokens,
        IReadOnlyCollection<int>? suppressed = null)
    {
        if (beams < 1 || beams > DecodeOptions.MaxBeamWidth) throw new ArgumentException($"num_beams must be in [1, {DecodeOptions.MaxBeamWidth}], got {beams}");
        if (maxNewTokens < 1) throw new ArgumentException($"max_new_tokens must be at least 1, got {maxNewTokens}");
        using var _ = GradMode.Off();
        int b = sources.Count, v = model.VocabSize;
        if (b == 0) return [];
        int maxLength = Math.Min(maxNewTokens, model.MaxTargetLength);
        var decoder = IncrementalDecoder.Start(model, sources, maxLength);
        var running = Enumerable.Range(0, b).Select(_ => new List<(List<int> Seq, double Sum)> { ([], 0.0) }).ToArray();
        var finished = Enumerable.Range(0, b).Select(_ => new List<Hypothesis>()).ToArray();
        var open = Enumerable.Range(0, b).ToList();                               // sentences with rows in the decoder, in row order
        var feed = Enumerable.Repeat(model.BosId, b).ToArray();
        for (int length = 1; length <= maxLength && open.Count > 0; length++)
        {
            var logp = Ops.LogSoftmax(decoder.Step(feed)).Data;                    // (rows, V)
            if (suppressed is not null)
                for (int r = 0; r < logp.Length / v; r++) foreach (int id in suppressed) logp[r * v + id] = float.NegativeInfinity;
            var parents = new List<int>();
            var tokens = new List<int>();
            var stillOpen = new List<int>();
            int row = 0;
            foreach (int s in open)
            {
                int rows = running[s].Count;
                var next = new List<(List<int>, double)>();
                int rank = 0;
                foreach (var (hyp, token, sum) in BatchedBeam.TopCandidates(running[s], logp.AsSpan(row * v, rows * v), v, 2 * beams, banned: -1))
                {
                    var seq = new List<int>(running[s][hyp].Seq) { token };
                    if (token == model.EosId || length == maxLength)
                    {
                        if (rank < beams) Add(finished[s], new Hypothesis([.. seq], sum, sum / Math.Pow(seq.Count, lengthPenalty)), beams);
                    }
                    else if (next.Count < beams)
                    {
                        next.Add((seq, sum));
                        parents.Add(row + hyp);
                        tokens.Add(token);
                    }
                    rank++;
                }
                running[s] = next;
                bool closed = next.Count == 0 || length == maxLength
                    || finished[s].Count == beams && next.Max(n => n.Item2) / Math.Pow(length, lengthPenalty) <= finished[s].Min(h => h.Score);
                if (!closed) stillOpen.Add(s);
                else
                {
                    parents.RemoveRange(parents.Count - next.Count, next.Count);
                    tokens.RemoveRange(tokens.Count - next.Count, next.Count);
                }
                row += rows;
            }
            open = stillOpen;
            if (open.Count == 0) break;
            decoder.Reorder([.. parents]);
            feed = [.. tokens];
        }
        return finished.Select(f => f.OrderByDescending(h => h.Score).ToList()).ToList();
    }

    // BeamHypotheses.add: keep the best `beams` by score
    private static void Add(List<Hypothesis> list, Hypothesis h, int beams)
    {
        if (list.Count < beams) { list.Add(h); return; }
        int worst = 0;
        for (int i = 1; i < list.Count; i++) if (list[i].Score < list[worst].Score) worst = i;
        if (h.Score > list[worst].Score) list[worst] = h;
    }
}
