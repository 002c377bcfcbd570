// The merge table shared by both BPE tokenizers: a vocabulary of symbol strings and, for each learned pair, its rank
// and the id of the merged symbol. Encoding a word applies the lowest-ranked applicable merge until none applies
// (the standard BPE encoding), with a per-word cache.
using System.Collections.Concurrent;

namespace Attend.Text.Tokenization;

/// <summary>Ranked BPE merges over a vocabulary.</summary>
public sealed class BpeModel
{
    private readonly Dictionary<long, (int Rank, int Result)> _ranks = [];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// A model whose vocabulary is the specials, then <paramref name="alphabet"/>, then the merged symbols in merge
    /// order (a merge whose text already exists reuses that token).
    /// </summary>
    public BpeModel(IEnumerable<string> alphabet, IEnumerable<(string Left, string Right)> merges)
    {
        Vocabulary = new Vocabulary(alphabet);
        Alphabet = Vocabulary.Tokens.Skip(SpecialTokens.Names.Length).ToArray();
        var list = new List<(string, string)>();
        foreach (var (left, right) in merges)
        {
            if (!Vocabulary.Contains(left) || !Vocabulary.Contains(right))
                throw new ArgumentException($"merge {list.Count + 1} ('{left}', '{right}') uses a symbol that is neither in the alphabet nor made by an earlier merge");
            string merged = left + right;
            int result = Vocabulary.Contains(merged) ? Vocabulary.IdOf(merged) : Vocabulary.Add(merged);
            _ranks.TryAdd(Key(Vocabulary.IdOf(left), Vocabulary.IdOf(right)), (list.Count, result));
            list.Add((left, right));
        }
        Merges = list;
    }

    /// <summary>Specials, alphabet and merged symbols.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The initial symbols (after the specials), in id order.</summary>
    public IReadOnlyList<string> Alphabet { get; }

    /// <summary>The merges in rank order.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>
    /// Token ids of one word given as its initial symbols; <paramref name="cacheKey"/> identifies the word for the cache.
    /// </summary>
    public int[] EncodeWord(string cacheKey, IReadOnlyList<string> symbols) =>
        _cache.GetOrAdd(cacheKey, _ => Merge(symbols.Select(Vocabulary.IdOf).ToList()));

    private int[] Merge(List<int> ids)
    {
        while (ids.Count > 1)
        {
            int bestRank = int.MaxValue, bestResult = -1;
            long bestKey = 0;
            for (int i = 0; i + 1 < ids.Count; i++)
            {
                if (_ranks.TryGetValue(Key(ids[i], ids[i + 1]), out var r) && r.Rank < bestRank)
                {
                    (bestRank, bestResult, bestKey) = (r.Rank, r.Result, Key(ids[i], ids[i + 1]));
                }
            }
            if (bestResult < 0) break;
            int a = (int)(bestKey >> 32), b = (int)(bestKey & 0xFFFFFFFF);
            var merged = new List<int>(ids.Count);
            for (int i = 0; i < ids.Count; i++)
            {
                if (i + 1 < ids.Count && ids[i] == a && ids[i + 1] == b)
                {
                    merged.Add(bestResult);
                    i++;
                }
                else
                {
                    merged.Add(ids[i]);
                }
            }
            ids = merged;
        }
        return [.. ids];
    }

    /// <summary>
    /// Learns merges: <paramref name="words"/> are words as initial symbol strings with counts; the alphabet is every
    /// symbol seen (most frequent first); merges continue until the vocabulary holds <paramref name="vocabSize"/>
    /// tokens or no pair occurs twice.
    /// </summary>
    public static BpeModel Train(IReadOnlyList<(string[] Symbols, long Count)> words, int vocabSize, IEnumerable<string>? requiredAlphabet = null)
    {
        var symbolCount = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (syms, count) in words)
            foreach (var s in syms) symbolCount[s] = symbolCount.GetValueOrDefault(s) + count;
        var alphabet = (requiredAlphabet ?? []).ToList();
        var inAlphabet = new HashSet<string>(alphabet, StringComparer.Ordinal);
        foreach (var s in symbolCount.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key))
            if (inAlphabet.Add(s)) alphabet.Add(s);
        var text = new List<string>(SpecialTokens.Names);
        text.AddRange(alphabet);
        var idOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < text.Count; i++) idOf[text[i]] = i;
        var idWords = words.Select(w => (w.Symbols.Select(s => idOf[s]).ToArray(), w.Count)).ToList();
        int merges = Math.Max(0, vocabSize - text.Count);
        var pairs = BpeTrainer.Train(idWords, merges, text.Count, text);
        return new BpeModel(alphabet, pairs.Select(p => (text[p.Left], text[p.Right])));
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;
}
