// GPT-2's tokenizer as Hugging Face's GPT2Tokenizer applies it, read from a model directory's vocab.json + merges.txt
// (or a fast tokenizer's tokenizer.json with a BPE model). Special tokens (<|endoftext|> and any other added token) are
// cut out of the text first and map to their ids; the rest is split into GPT-2's chunks (ByteBpeTokenizer.Split: the
// same pattern), each chunk's UTF-8 bytes become byte symbols (Ġ for a space), and the ranked merges of merges.txt
// apply (BpeModel: the lowest rank first, never across chunks). No prefix space and no BOS/EOS are added, as
// GPT2Tokenizer does by default. Decoding joins the pieces' bytes and reads them as UTF-8 (ill-formed bytes become
// U+FFFD, errors="replace").
using System.Text;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Text.Tokenization;

/// <summary>GPT-2's byte-level BPE with the checkpoint's own ids.</summary>
public sealed class Gpt2Tokenizer
{
    private readonly BpeModel _bpe;
    private readonly int[] _idOfBpe;                         // BpeModel id → checkpoint id (−1: a merge product not in vocab.json)
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _tokens;
    private readonly string[] _specials;                    // longest first, so that one special inside another is not cut early

    /// <summary>
    /// A tokenizer over <paramref name="vocab"/> (token → id, ids 0..n−1 each once) and ranked
    /// <paramref name="merges"/>; <paramref name="specials"/> are matched in the text before anything else, and a merge
    /// product missing from the vocabulary becomes <paramref name="unk"/> (as GPT2Tokenizer does).
    /// </summary>
    public Gpt2Tokenizer(IReadOnlyDictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges, IEnumerable<string> specials, string? unk = null)
    {
        _tokens = new string[vocab.Count];
        foreach (var (token, id) in vocab)
        {
            if (id < 0 || id >= _tokens.Length || _tokens[id] is not null) throw new ArgumentException($"token \"{token}\": expected a distinct id in [0, {_tokens.Length}), got {id}");
            _tokens[id] = token;
        }
        _ids = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var symbol in ByteBpeTokenizer.Alphabet)
            if (!_ids.ContainsKey(symbol)) throw new ArgumentException($"the byte symbol \"{symbol}\" (U+{(int)symbol[0]:X4}) is not in the vocabulary: not a byte-level BPE");
        _bpe = new BpeModel(ByteBpeTokenizer.Alphabet, merges);
        _idOfBpe = _bpe.Vocabulary.Tokens.Select(t => _ids.TryGetValue(t, out int id) ? id : -1).ToArray();
        _specials = specials.Distinct(StringComparer.Ordinal).Where(s => s.Length > 0).OrderByDescending(s => s.Length).ToArray();
        foreach (var s in _specials)
            if (!_ids.ContainsKey(s)) throw new ArgumentException($"special token \"{s}\" is not in the vocabulary");
        _unk = unk is not null && _ids.TryGetValue(unk, out int u) ? u : -1;
    }

    private readonly int _unk;

    /// <summary>Tokens in the vocabulary.</summary>
    public int Count => _tokens.Length;

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    /// <summary>The id of <paramref name="token"/>, or null.</summary>
    public int? IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : null;

    /// <summary>The special tokens (matched whole in the text).</summary>
    public IReadOnlyList<string> Specials => _specials;

    /// <summary>The ids of <paramref name="text"/>, nothing added.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        int pos = 0;
        while (pos < text.Length)
        {
            var (at, special) = NextSpecial(text, pos);
            foreach (var chunk in ByteBpeTokenizer.Split(text[pos..at]))
            {
                var symbols = Encoding.UTF8.GetBytes(chunk).Select(b => ByteBpeTokenizer.Alphabet[b]).ToArray();
                foreach (int id in _bpe.EncodeWord(chunk, symbols))
                {
                    int mapped = _idOfBpe[id] >= 0 ? _idOfBpe[id] : _unk;  // a merge whose product the vocabulary lacks
                    if (mapped < 0) throw new InvalidOperationException($"\"{_bpe.Vocabulary[id]}\" is made by a merge but is not in the vocabulary, and there is no unk_token");
                    ids.Add(mapped);
                }
            }
            if (special is null) break;
            ids.Add(_ids[special]);
            pos = at + special.Length;
        }
        return [.. ids];
    }

    /// <summary>The byte-symbol strings of <paramref name="text"/>'s tokens (Ġ for a space), as GPT2Tokenizer.tokenize gives them.</summary>
    public string[] Tokenize(string text) => Encode(text).Select(id => _tokens[id]).ToArray();

    /// <summary>
    /// The text of <paramref name="ids"/>: byte symbols back to bytes, read as UTF-8; special tokens are written as they
    /// are unless <paramref name="skipSpecials"/>. An id outside the vocabulary is an error.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecials = false)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_tokens.Length) throw new ArgumentOutOfRangeException(nameof(ids), id, $"not a token id (the vocabulary has {_tokens.Length})");
            string token = _tokens[id];
            if (Array.IndexOf(_specials, token) >= 0)
            {
                Flush();
                if (!skipSpecials) text.Append(token);
                continue;
            }
            foreach (char ch in token)
            {
                int b = ByteBpeTokenizer.ByteOf(ch);
                if (b < 0) { Flush(); text.Append(ch); }               // not a byte symbol (a hand-added token): as written
                else bytes.Add((byte)b);
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (bytes.Count == 0) return;
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }

    private (int At, string? Special) NextSpecial(string text, int from)
    {
        int best = text.Length;
        string? found = null;
        foreach (var s in _specials)
        {
            int i = text.IndexOf(s, from, StringComparison.Ordinal);
            if (i >= 0 && i < best) (best, found) = (i, s);
        }
        return (best, found);
    }
}
