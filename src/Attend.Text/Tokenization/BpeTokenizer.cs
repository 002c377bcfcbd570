// Classic word-internal BPE (Sennrich et al. 2016; the lecture's "low lower newest widest" procedure): text is NFC
// normalised and split on whitespace, each word becomes its characters followed by the end-of-word symbol </w>, and
// learned merges join symbols inside a word. Decoding concatenates and turns </w> back into a space, so
// Decode(Encode(s)) is s with NFC normalisation and whitespace runs collapsed to single spaces (trimmed at the ends);
// characters never seen in training become <unk>.
using System.Text;

namespace Attend.Text.Tokenization;

/// <summary>Word-internal BPE with an end-of-word marker.</summary>
public sealed class BpeTokenizer : ITokenizer
{
    /// <summary>The end-of-word symbol.</summary>
    public const string EndOfWord = "</w>";

    /// <summary>Wraps a merge table.</summary>
    public BpeTokenizer(BpeModel model) => Model = model;

    public string Type => "bpe";

    /// <summary>The merges and vocabulary.</summary>
    public BpeModel Model { get; }

    public Vocabulary Vocabulary => Model.Vocabulary;

    /// <summary>Learns merges on the words of <paramref name="texts"/> until the vocabulary has <paramref name="vocabSize"/> tokens.</summary>
    public static BpeTokenizer Train(IEnumerable<string> texts, int vocabSize)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var w in Words(text)) counts[w] = counts.GetValueOrDefault(w) + 1;
        var words = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (Symbols(kv.Key), kv.Value)).ToList();
        return new BpeTokenizer(BpeModel.Train(words, vocabSize, [EndOfWord]));
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var w in Words(text)) ids.AddRange(Model.EncodeWord(w, Symbols(w)));
        return [.. ids];
    }

    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            if (SpecialTokens.IsSpecial(id) || id >= Vocabulary.Count) continue;
            sb.Append(Vocabulary[id]);
        }
        return sb.Replace(EndOfWord, " ").ToString().TrimEnd(' ');
    }

    private static string[] Words(string text) => Whitespace.Split(text.Normalize(NormalizationForm.FormC));

    private static string[] Symbols(string word)
    {
        var list = new List<string>(word.Length + 1);
        foreach (var rune in word.EnumerateRunes()) list.Add(rune.ToString());
        list.Add(EndOfWord);
        return [.. list];
    }
}
