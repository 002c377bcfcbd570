// Byte-level BPE (GPT-2): text is cut into chunks by GPT-2's pre-tokenisation pattern (contractions, letters with a
// leading space, digits, other symbols, whitespace), each chunk's UTF-8 bytes are the initial symbols (written with
// GPT-2's printable byte-to-character map, so a space shows as 'Ġ'), and merges never cross a chunk. Every byte is in
// the vocabulary, so no input ever produces <unk>, and Decode(Encode(s)) == s exactly.
using System.Text;
using System.Text.RegularExpressions;

namespace Attend.Text.Tokenization;

/// <summary>Byte-level BPE.</summary>
public sealed partial class ByteBpeTokenizer : ITokenizer
{
    private static readonly string[] ByteSymbols = BuildByteSymbols();
    private static readonly Dictionary<char, byte> SymbolBytes = Enumerable.Range(0, 256).ToDictionary(b => ByteSymbols[b][0], b => (byte)b);

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Chunks();

    /// <summary>Wraps a merge table whose alphabet holds the 256 byte symbols.</summary>
    public ByteBpeTokenizer(BpeModel model) => Model = model;

    public string Type => "bytebpe";

    /// <summary>The merges and vocabulary.</summary>
    public BpeModel Model { get; }

    public Vocabulary Vocabulary => Model.Vocabulary;

    /// <summary>The byte a byte symbol stands for, or −1 for any other character.</summary>
    public static int ByteOf(char symbol) => SymbolBytes.TryGetValue(symbol, out byte b) ? b : -1;

    /// <summary>The 256 byte symbols in byte order.</summary>
    public static IReadOnlyList<string> Alphabet => ByteSymbols;

    /// <summary>Learns merges until the vocabulary has <paramref name="vocabSize"/> tokens (at least 4 + 256).</summary>
    public static ByteBpeTokenizer Train(IEnumerable<string> texts, int vocabSize)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var chunk in Split(text)) counts[chunk] = counts.GetValueOrDefault(chunk) + 1;
        var words = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (Symbols(kv.Key), kv.Value)).ToList();
        return new ByteBpeTokenizer(BpeModel.Train(words, vocabSize, ByteSymbols));
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var chunk in Split(text)) ids.AddRange(Model.EncodeWord(chunk, Symbols(chunk)));
        return [.. ids];
    }

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (SpecialTokens.IsSpecial(id) || id >= Vocabulary.Count) continue;
            foreach (char ch in Vocabulary[id]) bytes.Add(SymbolBytes[ch]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray()); // ill-formed sequences (possible in sampled ids) become U+FFFD
    }

    /// <summary>GPT-2's chunks of <paramref name="text"/>; together they always cover the whole text.</summary>
    internal static IEnumerable<string> Split(string text)
    {
        int pos = 0;
        foreach (Match m in Chunks().Matches(text))
        {
            if (m.Index > pos) yield return text[pos..m.Index];
            yield return m.Value;
            pos = m.Index + m.Length;
        }
        if (pos < text.Length) yield return text[pos..];
    }

    private static string[] Symbols(string chunk) => Encoding.UTF8.GetBytes(chunk).Select(b => ByteSymbols[b]).ToArray();

    /// <summary>GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards.</summary>
    private static string[] BuildByteSymbols()
    {
        var map = new string[256];
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = ((char)(printable ? b : 256 + extra++)).ToString();
        }
        return map;
    }
}
