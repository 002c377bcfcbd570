// Hugging Face's BertTokenizer: special tokens in the text ([MASK], …) are cut out first and kept whole, the rest is
// lower-cased when do_lower_case, split into words (BertPreTokenizer), and each word becomes WordPiece pieces by
// greedy longest match from the left, continuations prefixed "##"; a word longer than 100 code points, or with a rest
// no piece matches, becomes [UNK] as a whole. Ids are vocab.txt line numbers; inputs are [CLS] a [SEP] (b [SEP]).
using System.Text;

namespace Attend.Text.Tokenization;

/// <summary>The ids a BERT-family model reads for one input: tokens, segments (0 first, 1 second) and the mask.</summary>
public sealed record BertInput(int[] Ids, int[] TypeIds);

/// <summary>WordPiece tokenization exactly as Hugging Face's BertTokenizer.</summary>
public sealed class WordPieceTokenizer
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly string[] _specials;

    /// <param name="vocab">Tokens in id order (vocab.txt lines); a repeated token maps to its last line, as Hugging Face's loader.</param>
    public WordPieceTokenizer(IReadOnlyList<string> vocab, BertPreTokenizer preTokenizer, string unk = "[UNK]", string cls = "[CLS]",
        string sep = "[SEP]", string pad = "[PAD]", string mask = "[MASK]", int maxWordLength = 100, string continuation = "##")
    {
        Tokens = vocab;
        for (int i = 0; i < vocab.Count; i++) _ids[vocab[i]] = i;
        PreTokenizer = preTokenizer;
        Continuation = continuation;
        MaxWordLength = maxWordLength;
        UnkId = Require(unk);
        ClsId = Require(cls);
        SepId = Require(sep);
        PadId = Require(pad);
        MaskId = _ids.GetValueOrDefault(mask, -1);
        _specials = [.. new[] { unk, cls, sep, pad, mask }.Distinct().OrderByDescending(s => s.Length)];
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public BertPreTokenizer PreTokenizer { get; }
    public string Continuation { get; }
    public int MaxWordLength { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }

    /// <summary>The [MASK] id, or −1 when the vocabulary has none.</summary>
    public int MaskId { get; }

    /// <summary>The pieces of <paramref name="text"/> without [CLS]/[SEP].</summary>
    public List<string> Tokenize(string text)
    {
        var pieces = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            var special = _specials.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
            if (special is null) continue;
            Words(text[start..i], pieces);
            pieces.Add(special);
            i += special.Length - 1;
            start = i + 1;
        }
        Words(text[start..], pieces);
        return pieces;
    }

    /// <summary>The ids of <paramref name="text"/> without [CLS]/[SEP].</summary>
    public int[] EncodeTokens(string text) => [.. Tokenize(text).Select(IdOf)];

    /// <summary>
    /// [CLS] a [SEP] (b [SEP]) with segment ids, cut to <paramref name="maxLength"/> ids (null = no cut) by removing
    /// tokens from the end of the longer segment first, as Hugging Face's "longest_first" truncation.
    /// </summary>
    public BertInput Encode(string a, string? b = null, int? maxLength = null)
    {
        var first = EncodeTokens(a).ToList();
        var second = b is null ? null : EncodeTokens(b).ToList();
        if (maxLength is int max)
        {
            int room = max - 2 - (second is null ? 0 : 1);
            if (room < 0) throw new ArgumentException($"max length {max} leaves no room for the special tokens");
            while (first.Count + (second?.Count ?? 0) > room)
            {
                var longer = second is not null && second.Count > first.Count ? second : first;
                longer.RemoveAt(longer.Count - 1);
            }
        }
        var ids = new List<int>(first.Count + (second?.Count ?? 0) + 3) { ClsId };
        ids.AddRange(first);
        ids.Add(SepId);
        int firstLength = ids.Count;
        if (second is not null)
        {
            ids.AddRange(second);
            ids.Add(SepId);
        }
        var types = new int[ids.Count];
        for (int i = firstLength; i < types.Length; i++) types[i] = 1;
        return new BertInput([.. ids], types);
    }

    /// <summary>The id of a token, or [UNK]'s.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : UnkId;

    /// <summary>The text of ids: pieces joined, "##" continuations glued to the word before, special tokens skipped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            if (id == ClsId || id == SepId || id == PadId || id < 0 || id >= Tokens.Count) continue;
            string token = Tokens[id];
            if (token.StartsWith(Continuation, StringComparison.Ordinal)) sb.Append(token.AsSpan(Continuation.Length));
            else sb.Append(sb.Length > 0 ? " " : "").Append(token);
        }
        return sb.ToString();
    }

    private void Words(string chunk, List<string> pieces)
    {
        if (chunk.Length == 0) return;
        foreach (var word in PreTokenizer.Split(PreTokenizer.LowerCase ? BertPreTokenizer.PythonLower(chunk) : chunk)) Pieces(word, pieces);
    }

    // greedy longest match over code points; the whole word is [UNK] when it is too long or a rest matches nothing
    private void Pieces(string word, List<string> pieces)
    {
        var bounds = new List<int>(word.Length + 1) { 0 };       // UTF-16 offsets of code-point boundaries
        for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1) bounds.Add(i + (char.IsSurrogatePair(word, i) ? 2 : 1));
        int codePoints = bounds.Count - 1;
        if (codePoints > MaxWordLength)
        {
            pieces.Add(Tokens[UnkId]);
            return;
        }
        int mark = pieces.Count;
        for (int start = 0; start < codePoints;)
        {
            int end = codePoints;
            string? found = null;
            for (; end > start; end--)
            {
                string piece = word[bounds[start]..bounds[end]];
                if (start > 0) piece = Continuation + piece;
                if (_ids.ContainsKey(piece))
                {
                    found = piece;
                    break;
                }
            }
            if (found is null)
            {
                pieces.RemoveRange(mark, pieces.Count - mark);
                pieces.Add(Tokens[UnkId]);
                return;
            }
            pieces.Add(found);
            start = end;
        }
    }

    private int Require(string token) =>
        _ids.TryGetValue(token, out int id) ? id : throw new ArgumentException($"the vocabulary has no {token} token");
}
