// BLEU exactly as sacreBLEU 2.x computes it with its defaults: 13a tokens, n-grams up to 4, counts clipped by the
// maximum count in any single reference, the closest reference length (shorter on ties), brevity penalty, and
// "exp" smoothing (each zero-count order gets 100 / (2^k · total)). Corpus BLEU sums statistics over sentences;
// sentence BLEU uses the effective order (orders without candidate n-grams are left out of the mean).
namespace Attend.Text.Metrics;

/// <summary>A BLEU score with the statistics behind it (percentages on the 0..100 scale).</summary>
public sealed record BleuScore(double Score, long[] Counts, long[] Totals, double[] Precisions, double BrevityPenalty,
    long SysLen, long RefLen, string Signature)
{
    /// <summary>Hypothesis length over reference length.</summary>
    public double Ratio => RefLen == 0 ? 0 : (double)SysLen / RefLen;

    /// <summary>sacreBLEU's one-line summary, e.g. <c>BLEU = 51.15 100.0/80.0/50.0/33.3 (BP = 0.846 ...)</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"BLEU = {Score:F2} {string.Join("/", Precisions.Select(p => p.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} (BP = {BrevityPenalty:F3} ratio = {Ratio:F3} hyp_len = {SysLen} ref_len = {RefLen})");
}

/// <summary>Corpus and sentence BLEU, identical to sacreBLEU 2.x defaults.</summary>
public static class Bleu
{
    /// <summary>Highest n-gram order.</summary>
    public const int MaxOrder = 4;

    /// <summary>The sacreBLEU version whose definition this reproduces (it appears in signatures).</summary>
    public const string SacreBleuVersion = "2.6.0";

    /// <summary>
    /// Corpus BLEU of <paramref name="hypotheses"/> against reference streams: <paramref name="references"/>[r][i] is
    /// reference r of hypothesis i (sacreBLEU's layout). Statistics are summed before precisions are taken.
    /// </summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references, bool lowercase = false)
    {
        CheckStreams(hypotheses.Count, references);
        var counts = new long[MaxOrder];
        var totals = new long[MaxOrder];
        long sysLen = 0, refLen = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var refs = references.Select(stream => stream[i]).ToArray();
            Accumulate(hypotheses[i], refs, lowercase, counts, totals, ref sysLen, ref refLen);
        }
        return FromStatistics(counts, totals, sysLen, refLen, effectiveOrder: false, Signature(references.Count, lowercase, false));
    }

    /// <summary>Sentence BLEU of one hypothesis against its references, with the effective order (sacrebleu.sentence_bleu).</summary>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, bool lowercase = false, bool effectiveOrder = true)
    {
        if (references.Count == 0) throw new ArgumentException("sentence BLEU needs at least one reference");
        var counts = new long[MaxOrder];
        var totals = new long[MaxOrder];
        long sysLen = 0, refLen = 0;
        Accumulate(hypothesis, references, lowercase, counts, totals, ref sysLen, ref refLen);
        return FromStatistics(counts, totals, sysLen, refLen, effectiveOrder, Signature(references.Count, lowercase, effectiveOrder));
    }

    /// <summary>The score from summed statistics (sacrebleu BLEU.compute_bleu with smooth_method="exp").</summary>
    public static BleuScore FromStatistics(long[] counts, long[] totals, long sysLen, long refLen, bool effectiveOrder, string signature)
    {
        var precisions = new double[MaxOrder];
        double bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1.0 - (double)refLen / sysLen) : 0.0) : 1.0;
        if (counts.All(c => c == 0)) return new BleuScore(0.0, counts, totals, precisions, bp, sysLen, refLen, signature);

        int order = MaxOrder;
        double smooth = 1.0;
        for (int n = 1; n <= MaxOrder; n++)
        {
            if (totals[n - 1] == 0) break;
            if (effectiveOrder) order = n;
            if (counts[n - 1] == 0)
            {
                smooth *= 2;
                precisions[n - 1] = 100.0 / (smooth * totals[n - 1]);
            }
            else
            {
                precisions[n - 1] = 100.0 * counts[n - 1] / totals[n - 1];
            }
        }
        double logSum = 0;
        for (int n = 0; n < order; n++) logSum += precisions[n] == 0 ? -9999999999.0 : Math.Log(precisions[n]);
        return new BleuScore(bp * Math.Exp(logSum / order), counts, totals, precisions, bp, sysLen, refLen, signature);
    }

    /// <summary>sacreBLEU's signature for these settings.</summary>
    public static string Signature(int references, bool lowercase, bool effectiveOrder) =>
        $"nrefs:{references}|case:{(lowercase ? "lc" : "mixed")}|eff:{(effectiveOrder ? "yes" : "no")}|tok:13a|smooth:exp|version:{SacreBleuVersion}";

    private static void Accumulate(string hypothesis, IReadOnlyList<string> references, bool lowercase, long[] counts, long[] totals,
        ref long sysLen, ref long refLen)
    {
        var hyp = Tokenizer13a.Tokenize(lowercase ? hypothesis.ToLowerInvariant() : hypothesis);
        var maxRef = new Dictionary<(int N, string Gram), int>();
        int closest = -1;
        foreach (var reference in references)
        {
            var tokens = Tokenizer13a.Tokenize(lowercase ? reference.ToLowerInvariant() : reference);
            int diff = Math.Abs(hyp.Length - tokens.Length), best = Math.Abs(hyp.Length - closest);
            if (closest < 0 || diff < best || diff == best && tokens.Length < closest) closest = tokens.Length;
            foreach (var (gram, count) in NGrams(tokens))
                if (!maxRef.TryGetValue(gram, out int c) || count > c) maxRef[gram] = count;
        }
        foreach (var (gram, count) in NGrams(hyp))
        {
            totals[gram.N - 1] += count;
            if (maxRef.TryGetValue(gram, out int r)) counts[gram.N - 1] += Math.Min(count, r);
        }
        sysLen += hyp.Length;
        refLen += closest;
    }

    /// <summary>n-grams of orders 1..4 (tokens joined by a space, which no token contains) with their counts.</summary>
    private static Dictionary<(int N, string Gram), int> NGrams(string[] tokens)
    {
        var grams = new Dictionary<(int N, string Gram), int>();
        for (int n = 1; n <= MaxOrder; n++)
        {
            for (int i = 0; i + n <= tokens.Length; i++)
            {
                var gram = (n, n == 1 ? tokens[i] : string.Join(' ', tokens, i, n));
                grams[gram] = grams.GetValueOrDefault(gram) + 1;
            }
        }
        return grams;
    }

    internal static void CheckStreams(int hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        if (references.Count == 0) throw new ArgumentException("at least one reference stream is needed");
        for (int r = 0; r < references.Count; r++)
        {
            if (references[r].Count != hypotheses)
                throw new ArgumentException($"reference stream {r + 1} has {references[r].Count} lines but there are {hypotheses} hypotheses");
        }
    }
}
