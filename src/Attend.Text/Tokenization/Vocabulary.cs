// A bidirectional token ↔ id table whose first entries are the special tokens.
namespace Attend.Text.Tokenization;

/// <summary>Tokens by id and ids by token.</summary>
public sealed class Vocabulary
{
    private readonly List<string> _tokens = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>A vocabulary holding the special tokens and then <paramref name="tokens"/> (duplicates are errors).</summary>
    public Vocabulary(IEnumerable<string> tokens, bool withSpecials = true)
    {
        if (withSpecials) foreach (var s in SpecialTokens.Names) Add(s);
        foreach (var t in tokens) Add(t);
    }

    /// <summary>Number of tokens, specials included.</summary>
    public int Count => _tokens.Count;

    /// <summary>The token of <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    /// <summary>All tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The id of <paramref name="token"/>, or <see cref="SpecialTokens.Unk"/>.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : SpecialTokens.Unk;

    /// <summary>True when <paramref name="token"/> is in the vocabulary.</summary>
    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>Appends a token and returns its id.</summary>
    internal int Add(string token)
    {
        if (!_ids.TryAdd(token, _tokens.Count)) throw new ArgumentException($"token '{token}' occurs twice in the vocabulary");
        _tokens.Add(token);
        return _tokens.Count - 1;
    }
}
