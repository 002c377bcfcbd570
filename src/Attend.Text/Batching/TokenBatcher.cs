// Token-budget batching with length bucketing (as fairseq/Marian do): examples are sorted by length within large
// shuffled pools, cut into batches whose padded size (batch × longest) stays within the budget, and the batch order is
// shuffled. Everything derives from (seed, epoch) through Rng (not System.Random, whose sequence .NET may change
// between versions), so an interrupted run can rebuild epoch e and skip to batch i, on any machine.
namespace Attend.Text.Batching;

/// <summary>One example: source and target token ids (target may be empty for single-sequence tasks).</summary>
public readonly record struct Example(int[] Source, int[] Target);

/// <summary>A batch: the indices of its examples in the dataset.</summary>
public sealed record Batch(int[] Indices, int MaxSourceLength, int MaxTargetLength)
{
    /// <summary>Padded tokens this batch occupies: examples × (longest source + longest target).</summary>
    public long PaddedTokens => (long)Indices.Length * (MaxSourceLength + MaxTargetLength);
}

/// <summary>Builds deterministic token-budget batches.</summary>
public sealed class TokenBatcher(IReadOnlyList<Example> examples, int maxTokens, int seed, int poolBatches = 100)
{
    /// <summary>The batches of <paramref name="epoch"/>; the same (seed, epoch) always gives the same list.</summary>
    public List<Batch> Epoch(int epoch, bool shuffle = true)
    {
        if (maxTokens <= 0) throw new ArgumentException($"the token budget must be positive, got {maxTokens}");
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var rng = new Rng(Rng.Derive((ulong)seed, epoch)); // our own generator: the same sequence on every machine and .NET version
        if (shuffle) rng.Shuffle(order.AsSpan());
        // bucket: sort by length inside pools of roughly poolBatches batches, so batches hold similar lengths
        double meanLen = examples.Count == 0 ? 1 : examples.Average(e => e.Source.Length + e.Target.Length) + 1;
        int pool = Math.Max(1, (int)(poolBatches * maxTokens / meanLen));
        var batches = new List<Batch>();
        for (int start = 0; start < order.Length; start += pool)
        {
            var chunk = order.Skip(start).Take(pool).OrderBy(i => examples[i].Source.Length).ThenBy(i => examples[i].Target.Length).ThenBy(i => i).ToArray();
            var current = new List<int>();
            int maxS = 0, maxT = 0;
            foreach (int i in chunk)
            {
                int s = Math.Max(maxS, examples[i].Source.Length), t = Math.Max(maxT, examples[i].Target.Length);
                if (current.Count > 0 && (long)(current.Count + 1) * (s + t) > maxTokens)
                {
                    batches.Add(new Batch([.. current], maxS, maxT));
                    current.Clear();
                    s = examples[i].Source.Length;
                    t = examples[i].Target.Length;
                }
                current.Add(i);
                (maxS, maxT) = (s, t);
            }
            if (current.Count > 0) batches.Add(new Batch([.. current], maxS, maxT));
        }
        if (shuffle) rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }
}

/// <summary>Padding of id sequences into rectangular arrays with masks.</summary>
public static class Padding
{
    /// <summary>
    /// (B, T) ids padded with <paramref name="padId"/> to the longest sequence (or <paramref name="length"/>), and the
    /// key-padding mask (true at padding). Optional <paramref name="prefix"/>/<paramref name="suffix"/> ids (bos/eos)
    /// are added around each sequence.
    /// </summary>
    public static (int[] Ids, bool[] PadMask, int Length, int[] Lengths) Pad(IReadOnlyList<int[]> sequences, int padId, int? prefix = null, int? suffix = null, int? length = null)
    {
        int extra = (prefix is null ? 0 : 1) + (suffix is null ? 0 : 1);
        var lengths = sequences.Select(s => s.Length + extra).ToArray();
        int t = length ?? (lengths.Length == 0 ? 0 : lengths.Max());
        if (lengths.Any(l => l > t)) throw new ArgumentException($"a sequence of {lengths.Max()} tokens does not fit the padded length {t}");
        var ids = new int[sequences.Count * t];
        var mask = new bool[sequences.Count * t];
        for (int b = 0; b < sequences.Count; b++)
        {
            var row = ids.AsSpan(b * t, t);
            int j = 0;
            if (prefix is int p) row[j++] = p;
            sequences[b].CopyTo(row[j..]);
            j += sequences[b].Length;
            if (suffix is int s) row[j++] = s;
            row[j..].Fill(padId);
            mask.AsSpan(b * t + j, t - j).Fill(true);
        }
        return (ids, mask, t, lengths);
    }
}
