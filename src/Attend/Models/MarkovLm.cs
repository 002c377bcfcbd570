// Markov (n-gram) next-token models, the baselines the lecture notes build before attention (Rohrer, "Transformers
// from Scratch"): first order P(w | x_t), second order P(w | x_{t−1}, x_t), and second order with skips, where every
// earlier token x_{t−k} (k = 1..K) paired with the most recent x_t casts a vote; the votes are averaged, which keeps a
// proper distribution (k = 1 is the ordinary second-order model). Counts are smoothed by interpolated absolute
// discounting (Ney, Essen & Kneser 1994): P(w | h) = max(c(h, w) − d, 0) / c(h) + d · N₁₊(h ·) / c(h) · P_lower(w), the
// lower order of a pair context being the first-order model and of that the add-one unigram. Probabilities never
// reach zero, so the cross-entropy (nats per token) is finite and comparable with a neural model's validation loss.
namespace Attend.Models;

/// <summary>The kind of Markov model.</summary>
public enum MarkovOrder
{
    First,
    Second,
    SecondWithSkips,
}

/// <summary>A smoothed count-based next-token model.</summary>
public sealed class MarkovLm
{
    private readonly int _vocab;
    private readonly double[] _unigram;          // add-one P(w)
    private readonly ContextCounts _first;       // context x_t
    private readonly ContextCounts[] _pairs;     // [k − 1]: context (x_{t−k}, x_t)

    private MarkovLm(int vocab, MarkovOrder order, int skips, double discount, double[] unigram, ContextCounts first, ContextCounts[] pairs)
    {
        _vocab = vocab;
        Order = order;
        Skips = skips;
        Discount = discount;
        _unigram = unigram;
        _first = first;
        _pairs = pairs;
    }

    public MarkovOrder Order { get; }

    /// <summary>Largest skip K (1 for the plain second-order model, 0 for first order).</summary>
    public int Skips { get; }

    public double Discount { get; }

    /// <summary>
    /// The largest skip K accepted (docs/limits.md): each skip keeps a table as large as the text's distinct pairs,
    /// and votes from 64 characters back carry next to nothing.
    /// </summary>
    public const int MaxSkips = 64;

    /// <summary>Counts every transition of <paramref name="stream"/> (ids in [0, vocab)).</summary>
    public static MarkovLm Train(int[] stream, int vocab, MarkovOrder order, int skips = 8, double discount = 0.75)
    {
        if (vocab < 1) throw new ArgumentException($"vocabulary must be positive, got {vocab}");
        if (discount is <= 0 or >= 1) throw new ArgumentException($"the discount must be in (0, 1), got {discount}");
        if (order == MarkovOrder.SecondWithSkips && skips is < 1 or > MaxSkips) throw new ArgumentException($"skips must be 1 to {MaxSkips}, got {skips}");
        if (stream.Any(id => id < 0 || id >= vocab)) throw new ArgumentException($"token ids must be in [0, {vocab})");
        int k = order switch { MarkovOrder.First => 0, MarkovOrder.Second => 1, _ => skips };
        var counts = new double[vocab];
        foreach (int id in stream) counts[id]++;
        var unigram = counts.Select(c => (c + 1) / (stream.Length + vocab)).ToArray();
        var first = new ContextCounts(vocab);
        for (int t = 0; t + 1 < stream.Length; t++) first.Add(stream[t], stream[t + 1]);
        var pairs = new ContextCounts[k];
        for (int s = 1; s <= k; s++)
        {
            var c = pairs[s - 1] = new ContextCounts(vocab);
            for (int t = s; t + 1 < stream.Length; t++) c.Add((long)stream[t - s] * vocab + stream[t], stream[t + 1]);
        }
        return new MarkovLm(vocab, order, k, discount, unigram, first, pairs);
    }

    /// <summary>P(next | history), history being every token before it (only the last K + 1 matter; may be empty).</summary>
    public double Probability(ReadOnlySpan<int> history, int next)
    {
        if (history.Length == 0) return _unigram[next];
        int last = history[^1];
        double firstOrder = _first.Smoothed(last, next, Discount, _unigram[next]);
        if (_pairs.Length == 0 || history.Length < 2) return firstOrder;
        double sum = 0;
        int votes = 0;
        for (int s = 1; s <= _pairs.Length && s < history.Length; s++, votes++)
            sum += _pairs[s - 1].Smoothed((long)history[^(s + 1)] * _vocab + last, next, Discount, firstOrder);
        return sum / votes;
    }

    /// <summary>Mean −log P over every token of <paramref name="stream"/> after the first, given all before it (nats per token).</summary>
    public double CrossEntropy(int[] stream)
    {
        if (stream.Length < 2) throw new ArgumentException("need at least two tokens to score");
        double total = 0;
        for (int t = 1; t < stream.Length; t++)
        {
            int from = Math.Max(0, t - _pairs.Length - 1);
            total -= Math.Log(Probability(stream.AsSpan(from, t - from), stream[t]));
        }
        return total / (stream.Length - 1);
    }

    /// <summary>Draws <paramref name="count"/> tokens after <paramref name="prompt"/> from the model's distributions.</summary>
    public List<int> Sample(int[] prompt, int count, Rng rng)
    {
        var sequence = new List<int>(prompt);
        var produced = new List<int>(count);
        var probs = new double[_vocab];
        for (int i = 0; i < count; i++)
        {
            int from = Math.Max(0, sequence.Count - _pairs.Length - 1);
            var history = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sequence)[from..];
            double total = 0;
            for (int w = 0; w < _vocab; w++) total += probs[w] = Probability(history, w);
            double r = rng.NextFloat() * total, acc = 0;
            int next = _vocab - 1;
            for (int w = 0; w < _vocab; w++)
            {
                acc += probs[w];
                if (r < acc)
                {
                    next = w;
                    break;
                }
            }
            sequence.Add(next);
            produced.Add(next);
        }
        return produced;
    }

    /// <summary>Counts of (context, next) with per-context totals and numbers of distinct followers.</summary>
    private sealed class ContextCounts(int vocab)
    {
        private readonly Dictionary<long, int> _pair = [];
        private readonly Dictionary<long, (int Total, int Distinct)> _context = [];

        public void Add(long context, int next)
        {
            long key = context * vocab + next;
            _pair.TryGetValue(key, out int c);
            _pair[key] = c + 1;
            _context.TryGetValue(context, out var s);
            _context[context] = (s.Total + 1, s.Distinct + (c == 0 ? 1 : 0));
        }

        // interpolated absolute discounting; an unseen context falls back to the lower order entirely
        public double Smoothed(long context, int next, double d, double lower)
        {
            if (!_context.TryGetValue(context, out var s)) return lower;
            _pair.TryGetValue(context * vocab + next, out int c);
            return (Math.Max(c - d, 0) + d * s.Distinct * lower) / s.Total;
        }
    }
}
