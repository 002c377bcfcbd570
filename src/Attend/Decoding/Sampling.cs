// Sampling the next token from logits: temperature scaling, then optional top-k (keep the k largest) and top-p
// (keep the smallest set of most likely tokens whose probability reaches p), renormalise, and draw with Rng, so a
// seed reproduces a generation exactly. Temperature 0 (or top-k 1) is greedy arg-max.
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Sampling settings.</summary>
public sealed record SamplingOptions(float Temperature = 1f, int TopK = 0, float TopP = 1f)
{
    /// <summary>The first problem with these settings, or null.</summary>
    public string? Problem() =>
        Temperature < 0 || float.IsNaN(Temperature) ? $"temperature must be ≥ 0, got {Temperature}"
        : TopK < 0 ? $"top-k must be ≥ 0 (0 = off), got {TopK}"
        : !(TopP > 0 && TopP <= 1) ? $"top-p must be in (0, 1], got {TopP}"
        : null;
}

/// <summary>Draws tokens from logits.</summary>
public static class Sampling
{
    /// <summary>A token drawn from <paramref name="logits"/> (length V) under <paramref name="options"/>.</summary>
    public static int Sample(ReadOnlySpan<float> logits, SamplingOptions options, Rng rng)
    {
        if (options.Problem() is { } problem) throw new ArgumentException(problem);
        int v = logits.Length;
        if (v == 0) throw new ArgumentException("cannot sample from an empty distribution");
        if (options.Temperature == 0 || options.TopK == 1) return ArgMax(logits);
        // candidates sorted by logit, descending (ties: smaller id first)
        var order = new int[v];
        for (int i = 0; i < v; i++) order[i] = i;
        var keys = logits.ToArray();
        Array.Sort(order, (x, y) => keys[y] != keys[x] ? keys[y].CompareTo(keys[x]) : x.CompareTo(y));
        int keep = options.TopK > 0 ? Math.Min(options.TopK, v) : v;
        double max = keys[order[0]] / options.Temperature;
        var probs = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) total += probs[i] = Math.Exp(keys[order[i]] / options.Temperature - max);
        if (options.TopP < 1f)
        {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++)
            {
                cumulative += probs[i] / total;
                if (cumulative >= options.TopP)
                {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            total = 0;
            for (int i = 0; i < keep; i++) total += probs[i];
        }
        double r = rng.NextFloat() * total, acc = 0;
        for (int i = 0; i < keep; i++)
        {
            acc += probs[i];
            if (r < acc) return order[i];
        }
        return order[keep - 1];
    }

    /// <summary>Index of the largest logit (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
