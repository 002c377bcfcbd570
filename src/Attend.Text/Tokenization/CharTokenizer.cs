// Character-level tokenizer over Unicode code points (NFC), the vocabulary being the characters seen in training
// (most frequent first, up to the size asked). Unseen characters map to <unk>; decoding concatenates.
using System.Text;

namespace Attend.Text.Tokenization;

/// <summary>One token per character.</summary>
public sealed class CharTokenizer : ITokenizer
{
    /// <summary>Builds a tokenizer from its characters (in id order, specials excluded).</summary>
    public CharTokenizer(IEnumerable<string> chars) => Vocabulary = new Vocabulary(chars);

    public string Type => "char";

    public Vocabulary Vocabulary { get; }

    /// <summary>Learns the characters of <paramref name="texts"/>, at most <paramref name="vocabSize"/> − 4 of them.</summary>
    public static CharTokenizer Train(IEnumerable<string> texts, int vocabSize = int.MaxValue)
    {
        var counts = new Dictionary<string, (long Count, long First)>(StringComparer.Ordinal);
        long order = 0;
        foreach (var text in texts)
        {
            foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
            {
                var s = rune.ToString();
                counts[s] = counts.TryGetValue(s, out var c) ? (c.Count + 1, c.First) : (1, order++);
            }
        }
        int keep = vocabSize == int.MaxValue ? int.MaxValue : Math.Max(0, vocabSize - SpecialTokens.Names.Length);
        return new CharTokenizer(counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First).Take(keep).Select(kv => kv.Key));
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes()) ids.Add(Vocabulary.IdOf(rune.ToString()));
        return [.. ids];
    }

    public string Decode(IEnumerable<int> ids) =>
        string.Concat(ids.Where(id => !SpecialTokens.IsSpecial(id) && id < Vocabulary.Count).Select(id => Vocabulary[id]));
}
