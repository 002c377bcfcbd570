// chrF2 exactly as sacreBLEU 2.x computes it with its defaults: whitespace removed, character n-grams of orders
// 1..6 (Unicode code points), β = 2, precision and recall averaged over the orders that have both hypothesis and
// reference n-grams. With several references each sentence keeps the statistics of its best-scoring reference.
using System.Text;

namespace Attend.Text.Metrics;

/// <summary>A chrF score (0..100) and its sacreBLEU signature.</summary>
public sealed record ChrfScore(double Score, string Signature)
{
    public override string ToString() => FormattableString.Invariant($"chrF2 = {Score:F2}");
}

/// <summary>Corpus and sentence chrF, identical to sacreBLEU 2.x defaults.</summary>
public static class Chrf
{
    /// <summary>Character n-gram order.</summary>
    public const int CharOrder = 6;

    /// <summary>β: recall weighs β times as much as precision.</summary>
    public const double Beta = 2.0;

    /// <summary>Corpus chrF; <paramref name="references"/>[r][i] is reference r of hypothesis i.</summary>
    public static ChrfScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references, bool lowercase = false)
    {
        Bleu.CheckStreams(hypotheses.Count, references);
        var total = new long[3 * CharOrder];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var stats = BestStatistics(hypotheses[i], references.Select(s => s[i]).ToArray(), lowercase);
            for (int j = 0; j < total.Length; j++) total[j] += stats[j];
        }
        return new ChrfScore(FScore(total), Signature(references.Count, lowercase));
    }

    /// <summary>Sentence chrF of one hypothesis against its references.</summary>
    public static ChrfScore Sentence(string hypothesis, IReadOnlyList<string> references, bool lowercase = false)
    {
        if (references.Count == 0) throw new ArgumentException("sentence chrF needs at least one reference");
        return new ChrfScore(FScore(BestStatistics(hypothesis, references, lowercase)), Signature(references.Count, lowercase));
    }

    /// <summary>sacreBLEU's chrF signature.</summary>
    public static string Signature(int references, bool lowercase) =>
        $"nrefs:{references}|case:{(lowercase ? "lc" : "mixed")}|eff:yes|nc:{CharOrder}|nw:0|space:no|version:{Bleu.SacreBleuVersion}";

    /// <summary>(hyp, ref, match) counts per order of the reference with the best sentence score (first on ties).</summary>
    private static long[] BestStatistics(string hypothesis, IReadOnlyList<string> references, bool lowercase)
    {
        var hyp = CharNGrams(lowercase ? hypothesis.ToLowerInvariant() : hypothesis);
        long[]? best = null;
        double bestScore = -1;
        foreach (var reference in references)
        {
            var refGrams = CharNGrams(lowercase ? reference.ToLowerInvariant() : reference);
            var stats = new long[3 * CharOrder];
            for (int n = 0; n < CharOrder; n++)
            {
                long h = 0, r = 0, m = 0;
                foreach (var (g, c) in hyp[n])
                {
                    h += c;
                    if (refGrams[n].TryGetValue(g, out int rc)) m += Math.Min(c, rc);
                }
                foreach (var c in refGrams[n].Values) r += c;
                stats[3 * n] = h;
                stats[3 * n + 1] = r;
                stats[3 * n + 2] = m;
            }
            double score = FScore(stats);
            if (score > bestScore)
            {
                bestScore = score;
                best = stats;
            }
        }
        return best!;
    }

    /// <summary>The chrF from (hyp, ref, match) counts per order (sacrebleu CHRF._compute_f_score without eps smoothing).</summary>
    private static double FScore(long[] stats)
    {
        double factor = Beta * Beta, avgP = 0, avgR = 0;
        int effective = 0;
        for (int n = 0; n < CharOrder; n++)
        {
            long h = stats[3 * n], r = stats[3 * n + 1], m = stats[3 * n + 2];
            if (h > 0 && r > 0)
            {
                avgP += (double)m / h;
                avgR += (double)m / r;
                effective++;
            }
        }
        if (effective == 0) return 0.0;
        avgP /= effective;
        avgR /= effective;
        if (avgP + avgR == 0) return 0.0;
        return 100 * ((1 + factor) * avgP * avgR / (factor * avgP + avgR));
    }

    /// <summary>Counts of character n-grams (code points, whitespace removed) for orders 1..6.</summary>
    private static Dictionary<string, int>[] CharNGrams(string s)
    {
        var chars = new List<string>();
        foreach (var rune in s.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune)) chars.Add(rune.ToString());
        }
        var grams = new Dictionary<string, int>[CharOrder];
        for (int n = 1; n <= CharOrder; n++)
        {
            var d = grams[n - 1] = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= chars.Count; i++)
            {
                string g = string.Concat(chars.GetRange(i, n));
                d[g] = d.GetValueOrDefault(g) + 1;
            }
        }
        return grams;
    }
}
