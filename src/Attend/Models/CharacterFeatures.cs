// Character features of words (Plank et al. 2016; Lample et al. 2016): each word's characters are embedded and read by
// a bidirectional LSTM; the final forward and backward states, concatenated, describe the word (its suffix, prefix,
// capitalisation and digits) — what a word embedding cannot know for a rare or unseen word.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Characters of N words (N, W) → word features (N, 2 · hidden).</summary>
public sealed class CharacterFeatures : Module
{
    /// <summary>Characters kept of a longer word: the first and last <see cref="MaxWordLength"/> / 2.</summary>
    public const int MaxWordLength = 20;

    public CharacterFeatures(int charVocab, int charDim, int hidden, Rng rng)
    {
        Embedding = Child("embedding", new Embedding(charVocab, charDim, rng, paddingIdx: 0));
        Rnn = Child("rnn", new Recurrent(CellType.Lstm, charDim, hidden, rng, bidirectional: true));
        Hidden = hidden;
    }

    public Embedding Embedding { get; }
    public Recurrent Rnn { get; }
    public int Hidden { get; }

    /// <summary>chars: (N, W) character ids padded with 0; lengths: N values in [0, W] (0 for padding words) → (N, 2H).</summary>
    public Tensor Forward(int[] chars, int[] lengths, int words, int width)
    {
        var x = Embedding.Forward(chars, words, width);                       // (N, W, char_dim)
        var hN = Rnn.Forward(x, lengths: lengths).HiddenN;                     // (2, N, H): forward, backward
        return Ops.Reshape(Ops.Permute(hN, 1, 0, 2), words, 2 * Hidden);      // (N, 2H)
    }

    /// <summary>The characters kept of a word (at most <see cref="MaxWordLength"/>: its head and its tail).</summary>
    public static int[] Clip(int[] chars) =>
        chars.Length <= MaxWordLength ? chars : [.. chars[..(MaxWordLength / 2)], .. chars[^(MaxWordLength / 2)..]];
}
