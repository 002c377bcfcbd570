// A word-level vectorizer in the spirit of Keras TextVectorization: standardise (lowercase and strip punctuation,
// lowercase only, or none), split on whitespace, keep the most frequent words up to a vocabulary size (ties broken by
// first appearance), map everything else to <unk>. Decode joins words with single spaces.
using System.Text;

namespace Attend.Text.Tokenization;

/// <summary>How text is standardised before splitting.</summary>
public enum Standardize
{
    /// <summary>Text as given (NFC-normalised).</summary>
    None,
    /// <summary>Lowercase.</summary>
    Lower,
    /// <summary>Lowercase and drop punctuation (Keras's default).</summary>
    LowerAndStripPunctuation,
}

/// <summary>Word-level tokenizer.</summary>
public sealed class WordTokenizer : ITokenizer
{
    /// <summary>Builds a tokenizer from a word list (in id order, specials excluded).</summary>
    public WordTokenizer(IEnumerable<string> words, Standardize standardize)
    {
        Vocabulary = new Vocabulary(words);
        Standardization = standardize;
    }

    public string Type => "word";

    public Vocabulary Vocabulary { get; }

    /// <summary>The standardisation applied before splitting.</summary>
    public Standardize Standardization { get; }

    /// <summary>Learns the <paramref name="vocabSize"/> − 4 most frequent words of <paramref name="texts"/>.</summary>
    public static WordTokenizer Train(IEnumerable<string> texts, int vocabSize, Standardize standardize = Standardize.LowerAndStripPunctuation)
    {
        if (vocabSize <= SpecialTokens.Names.Length) throw new ArgumentException($"vocabulary size must exceed {SpecialTokens.Names.Length} (the special tokens), got {vocabSize}");
        var counts = new Dictionary<string, (long Count, long First)>(StringComparer.Ordinal);
        long order = 0;
        foreach (var text in texts)
        {
            foreach (var w in Split(text, standardize))
            {
                counts[w] = counts.TryGetValue(w, out var c) ? (c.Count + 1, c.First) : (1, order++);
            }
        }
        var words = counts.Where(kv => !SpecialTokens.Names.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First)
            .Take(vocabSize - SpecialTokens.Names.Length).Select(kv => kv.Key);
        return new WordTokenizer(words, standardize);
    }

    public int[] Encode(string text) => Split(text, Standardization).Select(Vocabulary.IdOf).ToArray();

    public string Decode(IEnumerable<int> ids) =>
        string.Join(' ', ids.Where(id => !SpecialTokens.IsSpecial(id) && id < Vocabulary.Count).Select(id => Vocabulary[id]));

    /// <summary>The words of <paramref name="text"/> after standardisation.</summary>
    public static IEnumerable<string> Split(string text, Standardize standardize)
    {
        text = text.Normalize(NormalizationForm.FormC);
        if (standardize != Standardize.None) text = text.ToLowerInvariant();
        if (standardize == Standardize.LowerAndStripPunctuation)
        {
            var sb = new StringBuilder(text.Length);
            foreach (char ch in text) if (!char.IsPunctuation(ch) && !char.IsSymbol(ch)) sb.Append(ch);
            text = sb.ToString();
        }
        return Whitespace.Split(text);
    }
}
