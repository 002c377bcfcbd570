// A padded batch of token-id sequences as the classifiers and taggers read it: ids (B, T) padded with 0, the key-padding
// mask (true at padding), the real lengths, and optionally each token's characters (B·T, W) for character features.
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Padded token ids (B, T) with their mask, and optional characters (B·T, W).</summary>
public sealed record TokenBatch(int[] Ids, int Batch, int Length, Mask Padding, int[] Lengths, int[]? Chars = null, int[]? CharLengths = null, int WordLength = 0)
{
    /// <summary>
    /// Pads <paramref name="sequences"/> (each at least one token) to the longest; <paramref name="characters"/>, when
    /// given, holds each sequence's tokens' character ids (clipped by <see cref="CharacterFeatures.Clip"/>).
    /// </summary>
    public static TokenBatch From(IReadOnlyList<int[]> sequences, IReadOnlyList<int[][]>? characters = null)
    {
        int b = sequences.Count;
        if (b == 0) throw new ArgumentException("a batch needs at least one sequence");
        var lengths = sequences.Select(s => s.Length).ToArray();
        if (lengths.Any(l => l == 0)) throw new ArgumentException("every sequence needs at least one token");
        int t = lengths.Max();
        var ids = new int[b * t];
        var pad = new bool[b * t];
        for (int i = 0; i < b; i++)
        {
            sequences[i].CopyTo(ids, i * t);
            pad.AsSpan(i * t + lengths[i], t - lengths[i]).Fill(true);
        }
        var mask = new Mask(pad, new Shape(b, t));
        if (characters is null) return new TokenBatch(ids, b, t, mask, lengths);
        if (characters.Count != b || Enumerable.Range(0, b).Any(i => characters[i].Length != lengths[i]))
            throw new ArgumentException("characters must give one character sequence per token");
        var clipped = characters.Select(words => words.Select(CharacterFeatures.Clip).ToArray()).ToArray();
        int w = Math.Max(1, clipped.SelectMany(words => words).Select(c => c.Length).DefaultIfEmpty(1).Max());
        var chars = new int[b * t * w];
        var charLengths = new int[b * t];
        for (int i = 0; i < b; i++)
        {
            for (int j = 0; j < lengths[i]; j++)
            {
                var c = clipped[i][j];
                c.CopyTo(chars, (i * t + j) * w);
                charLengths[i * t + j] = c.Length;
            }
        }
        return new TokenBatch(ids, b, t, mask, lengths, chars, charLengths, w);
    }
}
