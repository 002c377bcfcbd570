// Byte-pair encoding training (Sennrich et al. 2016) with incremental pair statistics: count every adjacent symbol
// pair once, then per merge touch only the words that contain the merged pair, adjusting the counts of the pairs
// around each occurrence. The most frequent pair comes from a max-heap with lazy deletion. Ties go to the pair whose
// symbol strings sort first (ordinal), which makes training deterministic and, on the lecture's "low lower newest
// widest" corpus, merges e+s before s+t.
namespace Attend.Text.Tokenization;

/// <summary>Learns BPE merges over words made of symbol ids.</summary>
public static class BpeTrainer
{
    /// <summary>
    /// Learns up to <paramref name="merges"/> merges over <paramref name="words"/> (symbol ids with their counts).
    /// New symbols get ids from <paramref name="firstNewId"/> on; <paramref name="symbolText"/> gives each symbol's
    /// text (for new symbols it is the concatenation). Stops early when no pair occurs at least
    /// <paramref name="minCount"/> times. Returns the merged pairs in order.
    /// </summary>
    public static List<(int Left, int Right)> Train(IReadOnlyList<(int[] Symbols, long Count)> words, int merges, int firstNewId,
        List<string> symbolText, long minCount = 2)
    {
        var symbols = words.Select(w => (int[])w.Symbols.Clone()).ToArray();
        var lengths = symbols.Select(s => s.Length).ToArray();
        var freq = words.Select(w => w.Count).ToArray();
        var pairCount = new Dictionary<long, long>();
        var where = new Dictionary<long, List<int>>();
        for (int w = 0; w < symbols.Length; w++)
        {
            var s = symbols[w];
            for (int i = 0; i + 1 < s.Length; i++)
            {
                long key = Key(s[i], s[i + 1]);
                pairCount[key] = pairCount.GetValueOrDefault(key) + freq[w];
                if (!where.TryGetValue(key, out var list)) where[key] = list = [];
                if (list.Count == 0 || list[^1] != w) list.Add(w);
            }
        }
        var heap = new PriorityQueue<long, (long Count, long Key)>(new PairOrder(symbolText));
        foreach (var (key, count) in pairCount) heap.Enqueue(key, (count, key));

        var result = new List<(int, int)>();
        var touched = new HashSet<long>();
        int next = firstNewId;
        while (result.Count < merges && heap.TryDequeue(out long best, out var prio))
        {
            if (pairCount.GetValueOrDefault(best) != prio.Count) continue; // stale entry
            if (prio.Count < minCount) break;
            int a = (int)(best >> 32), b = (int)(best & 0xFFFFFFFF), c = next++;
            result.Add((a, b));
            symbolText.Add(symbolText[a] + symbolText[b]);
            touched.Clear();
            foreach (int w in where[best])
            {
                var s = symbols[w];
                int n = lengths[w];
                long f = freq[w];
                int write = 0;
                bool changed = false;
                for (int read = 0; read < n; read++)
                {
                    if (read + 1 < n && s[read] == a && s[read + 1] == b)
                    {
                        // the pairs around this occurrence change: (prev, a) → (prev, c), (b, next) → (c, next)
                        if (write > 0) { Adjust(pairCount, Key(s[write - 1], a), -f, touched); Adjust(pairCount, Key(s[write - 1], c), f, touched); AddWhere(where, Key(s[write - 1], c), w); }
                        if (read + 2 < n) { Adjust(pairCount, Key(b, s[read + 2]), -f, touched); Adjust(pairCount, Key(c, s[read + 2]), f, touched); AddWhere(where, Key(c, s[read + 2]), w); }
                        Adjust(pairCount, best, -f, touched);
                        s[write++] = c;
                        read++;
                        changed = true;
                    }
                    else
                    {
                        s[write++] = s[read];
                    }
                }
                if (changed) lengths[w] = write;
            }
            // a merge next to another occurrence ("a b a b" → "c c") counted (c, a) and then (c, c) correctly because
            // the left neighbour was already rewritten; pairs that no longer occur drop to zero and leave the heap lazily
            where.Remove(best);
            pairCount.Remove(best);
            foreach (long key in touched)
            {
                if (key != best && pairCount.TryGetValue(key, out long count) && count > 0) heap.Enqueue(key, (count, key));
            }
        }
        return result;
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    private static void Adjust(Dictionary<long, long> counts, long key, long delta, HashSet<long> touched)
    {
        long v = counts.GetValueOrDefault(key) + delta;
        if (v == 0) counts.Remove(key); else counts[key] = v;
        touched.Add(key);
    }

    private static void AddWhere(Dictionary<long, List<int>> where, long key, int w)
    {
        if (!where.TryGetValue(key, out var list)) where[key] = list = [];
        if (list.Count == 0 || list[^1] != w) list.Add(w);
    }

    /// <summary>Higher count first; on ties, the pair whose (left, right) texts sort first.</summary>
    private sealed class PairOrder(List<string> text) : IComparer<(long Count, long Key)>
    {
        public int Compare((long Count, long Key) x, (long Count, long Key) y)
        {
            if (x.Count != y.Count) return y.Count.CompareTo(x.Count);
            if (x.Key == y.Key) return 0;
            int c = string.CompareOrdinal(text[(int)(x.Key >> 32)], text[(int)(y.Key >> 32)]);
            return c != 0 ? c : string.CompareOrdinal(text[(int)(x.Key & 0xFFFFFFFF)], text[(int)(y.Key & 0xFFFFFFFF)]);
        }
    }
}
