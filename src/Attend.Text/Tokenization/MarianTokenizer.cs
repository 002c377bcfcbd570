// Marian's tokenizer as Hugging Face's MarianTokenizer applies it (opus-mt models), from a model directory's
// source.spm + target.spm (SentencePiece models) and vocab.json (the joint vocabulary, piece → id):
//   - a leading language code such as ">>de<<" is split off as its own token;
//   - the rest is segmented by the side's SentencePiece model, its normalisation included. Microsoft.ML.Tokenizers'
//     SentencePieceTokenizer does that, except that it gives each unknown character its own piece where SentencePiece
//     makes one piece of a run of them: the run is joined here;
//   - each piece string is looked up in vocab.json (missing → <unk>; a character the SentencePiece model does not know is
//     still found there if the vocabulary has it), and </s> is appended.
// Decoding joins the pieces, turns ▁ into spaces and drops the leading one, skipping the special tokens.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;
using MlSentencePiece = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace Attend.Text.Tokenization;

/// <summary>MarianTokenizer: SentencePiece per side, one joint vocabulary.</summary>
public sealed class MarianTokenizer
{
    private readonly MlSentencePiece _source, _target;
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _tokens;

    /// <summary>
    /// A tokenizer over the two SentencePiece models and <paramref name="vocab"/>; <paramref name="unk"/>,
    /// <paramref name="eos"/> and <paramref name="pad"/> must be in the vocabulary.
    /// </summary>
    public MarianTokenizer(Stream sourceModel, Stream targetModel, IReadOnlyDictionary<string, int> vocab, string unk = "<unk>", string eos = "</s>", string pad = "<pad>")
        : this(MlSentencePiece.Create(sourceModel, false, false), MlSentencePiece.Create(targetModel, false, false), vocab, unk, eos, pad)
    {
    }

    private MarianTokenizer(MlSentencePiece source, MlSentencePiece target, IReadOnlyDictionary<string, int> vocab, string unk, string eos, string pad)
    {
        _source = source;
        _target = target;
        _tokens = new string[vocab.Count];
        foreach (var (token, id) in vocab)
        {
            if (id < 0 || id >= _tokens.Length || _tokens[id] is not null) throw new ArgumentException($"token \"{token}\": expected a distinct id in [0, {_tokens.Length}), got {id}");
            _tokens[id] = token;
        }
        _ids = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        UnkId = Require(unk, "unk_token");
        EosId = Require(eos, "eos_token");
        PadId = Require(pad, "pad_token");
    }

    /// <summary>Whether <paramref name="dir"/> holds Marian tokenizer files (source.spm).</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, "source.spm"));

    /// <summary>
    /// Loads source.spm, target.spm, vocab.json and tokenizer_config.json (unk, eos and pad tokens) from
    /// <paramref name="dir"/>. Separate source and target vocabularies (separate_vocabs: true) are refused by name.
    /// </summary>
    public static MarianTokenizer Load(string dir)
    {
        string configPath = Path.Combine(dir, "tokenizer_config.json"), vocabPath = Path.Combine(dir, "vocab.json");
        var config = File.Exists(configPath) ? ReadObject(configPath) : [];
        if (config["separate_vocabs"] is JsonValue sv && sv.TryGetValue(out bool separate) && separate)
            throw new DataFormatException(configPath, 0, "field 'separate_vocabs': separate source and target vocabularies are not supported (only the joint vocab.json)");
        string Special(string key, string fallback) => config[key] switch
        {
            JsonValue v when v.TryGetValue(out string? t) => t,
            JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? t) => t,
            _ => fallback,
        };
        if (!File.Exists(vocabPath)) throw MissingFile.Error(vocabPath);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, node) in ReadObject(vocabPath))
            vocab[token] = node is JsonValue v && v.TryGetValue(out int id) ? id : throw new DataFormatException(vocabPath, 0, $"field '{token}': expected an integer id");
        var source = ReadModel(Path.Combine(dir, "source.spm"));
        var target = ReadModel(Path.Combine(dir, "target.spm"));
        try
        {
            return new MarianTokenizer(source, target, vocab, Special("unk_token", "<unk>"), Special("eos_token", "</s>"), Special("pad_token", "<pad>"));
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(vocabPath, 0, e.Message);
        }
    }

    private static MlSentencePiece ReadModel(string path)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        try
        {
            using var stream = File.OpenRead(path);
            return MlSentencePiece.Create(stream, false, false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFormatException(path, 0, $"not a SentencePiece model ({e.Message})");
        }
    }

    private static JsonObject ReadObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: JsonStrict.Document) as JsonObject ?? throw new DataFormatException(path, 0, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON ({e.Message})");
        }
    }

    /// <summary>Tokens in the joint vocabulary.</summary>
    public int Count => _tokens.Length;

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    public int UnkId { get; }
    public int EosId { get; }
    public int PadId { get; }

    /// <summary>The ids of a source sentence, ending with &lt;/s&gt;.</summary>
    public int[] EncodeSource(string text) => Ids(Pieces(text, _source));

    /// <summary>The ids of a target sentence (labels), ending with &lt;/s&gt;.</summary>
    public int[] EncodeTarget(string text) => Ids(Pieces(text, _target));

    /// <summary>The pieces of a source sentence, as MarianTokenizer.tokenize gives them (no &lt;/s&gt;).</summary>
    public string[] SourcePieces(string text) => Pieces(text, _source);

    /// <summary>The pieces of a target sentence (no &lt;/s&gt;).</summary>
    public string[] TargetPieces(string text) => Pieces(text, _target);

    /// <summary>The text of <paramref name="ids"/>: special tokens skipped, ▁ read as a space, the leading space dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new System.Text.StringBuilder();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_tokens.Length) throw new ArgumentOutOfRangeException(nameof(ids), id, $"not a token id (the vocabulary has {_tokens.Length})");
            if (id == EosId || id == PadId || id == UnkId) continue;
            text.Append(_tokens[id]);
        }
        return text.Replace('\u2581', ' ').ToString().TrimStart(' ');
    }

    private int[] Ids(string[] pieces)
    {
        var ids = new int[pieces.Length + 1];
        for (int i = 0; i < pieces.Length; i++) ids[i] = _ids.TryGetValue(pieces[i], out int id) ? id : UnkId;
        ids[^1] = EosId;
        return ids;
    }

    private static string[] Pieces(string text, MlSentencePiece spm)
    {
        var pieces = new List<string>();
        if (text.StartsWith(">>", StringComparison.Ordinal) && text.IndexOf("<<", StringComparison.Ordinal) is int end and >= 0)
        {
            pieces.Add(text[..(end + 2)]);                                  // the language code, as MarianTokenizer splits it
            text = text[(end + 2)..];
        }
        bool lastUnknown = false;
        foreach (var token in spm.EncodeToTokens(text, out _))
        {
            bool unknown = token.Id == spm.UnknownId;
            if (unknown && lastUnknown) pieces[^1] += token.Value;          // SentencePiece: a run of unknowns is one piece
            else pieces.Add(token.Value);
            lastUnknown = unknown;
        }
        return [.. pieces];
    }

    private int Require(string token, string key) =>
        _ids.TryGetValue(token, out int id) ? id : throw new ArgumentException($"{key} \"{token}\" is not in the vocabulary");
}
