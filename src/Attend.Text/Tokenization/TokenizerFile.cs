// tokenizer.json: one versioned JSON document for every tokenizer type, written atomically.
//   {"format": "attend-tokenizer", "version": 1, "type": "bpe" | "bytebpe" | "word" | "char",
//    "standardize": "none" | "lower" | "lower_and_strip_punctuation"   (word only),
//    "special_tokens": ["<pad>", "<unk>", "<bos>", "<eos>"],
//    "alphabet": [...] (bpe, bytebpe) | "vocab": [...] (word, char)  — tokens after the specials, in id order,
//    "merges": [["e", "s"], ...] (bpe, bytebpe)}
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Text.Tokenization;

/// <summary>Saves and loads tokenizers.</summary>
public static class TokenizerFile
{
    public const string Format = "attend-tokenizer";
    public const int Version = 1;

    /// <summary>The JSON document for <paramref name="tokenizer"/>.</summary>
    public static string ToJson(ITokenizer tokenizer)
    {
        var root = new JsonObject { ["format"] = Format, ["version"] = Version, ["type"] = tokenizer.Type };
        root["special_tokens"] = new JsonArray([.. SpecialTokens.Names.Select(s => (JsonNode)s!)]);
        switch (tokenizer)
        {
            case WordTokenizer w:
                root["standardize"] = StandardizeName(w.Standardization);
                root["vocab"] = Strings(w.Vocabulary.Tokens.Skip(SpecialTokens.Names.Length));
                break;
            case CharTokenizer c:
                root["vocab"] = Strings(c.Vocabulary.Tokens.Skip(SpecialTokens.Names.Length));
                break;
            case BpeTokenizer or ByteBpeTokenizer:
                var model = tokenizer is BpeTokenizer b ? b.Model : ((ByteBpeTokenizer)tokenizer).Model;
                root["alphabet"] = Strings(model.Alphabet);
                root["merges"] = new JsonArray([.. model.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]);
                break;
            default:
                throw new ArgumentException($"cannot save a tokenizer of type {tokenizer.GetType().Name}");
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes <paramref name="tokenizer"/> to <paramref name="path"/> (temp file, then rename).</summary>
    public static void Save(ITokenizer tokenizer, string path) => AtomicFile.WriteAllText(path, ToJson(tokenizer));

    /// <summary>Loads a tokenizer.json; malformed files raise <see cref="DataFormatException"/> naming the field.</summary>
    public static ITokenizer Load(string path)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a tokenizer.json document; <paramref name="name"/> is used in error messages.</summary>
    public static ITokenizer Parse(string json, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: JsonStrict.Document);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(name, (e.LineNumber ?? -1) + 1, $"invalid JSON ({e.Message})");
        }
        if (root is not JsonObject obj) throw new DataFormatException(name, 0, "expected a JSON object");
        try
        {
            if (String(obj, "format", name) != Format) throw new DataFormatException(name, 0, $"field 'format': expected \"{Format}\"");
            if (obj["version"] is not JsonValue v || !v.TryGetValue(out int version) || version != Version)
                throw new DataFormatException(name, 0, $"field 'version': expected {Version}");
            var specials = StringList(obj, "special_tokens", name);
            if (!specials.SequenceEqual(SpecialTokens.Names))
                throw new DataFormatException(name, 0, $"field 'special_tokens': expected [{string.Join(", ", SpecialTokens.Names.Select(s => $"\"{s}\""))}]");
            string type = String(obj, "type", name);
            string[] fields = type switch { "word" => ["standardize", "vocab"], "char" => ["vocab"], _ => ["alphabet", "merges"] };
            JsonStrict.OnlyFields(obj, name, ["format", "version", "type", "special_tokens", .. fields]);
            return type switch
            {
                "word" => new WordTokenizer(StringList(obj, "vocab", name), ParseStandardize(String(obj, "standardize", name), name)),
                "char" => new CharTokenizer(StringList(obj, "vocab", name)),
                "bpe" => new BpeTokenizer(new BpeModel(StringList(obj, "alphabet", name), Merges(obj, name))),
                "bytebpe" => ByteBpe(obj, name),
                _ => throw new DataFormatException(name, 0, $"field 'type': expected bpe, bytebpe, word or char, got \"{type}\""),
            };
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(name, 0, e.Message);
        }
    }

    private static ByteBpeTokenizer ByteBpe(JsonObject obj, string name)
    {
        var alphabet = StringList(obj, "alphabet", name);
        if (!alphabet.SequenceEqual(ByteBpeTokenizer.Alphabet))
            throw new DataFormatException(name, 0, "field 'alphabet': a byte-level BPE alphabet must be the 256 byte symbols in byte order");
        return new ByteBpeTokenizer(new BpeModel(alphabet, Merges(obj, name)));
    }

    private static List<(string, string)> Merges(JsonObject obj, string name)
    {
        if (obj["merges"] is not JsonArray arr) throw new DataFormatException(name, 0, "field 'merges': expected an array of [left, right] pairs");
        var list = new List<(string, string)>(arr.Count);
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonArray pair || pair.Count != 2 || pair[0] is not JsonValue l || !l.TryGetValue(out string? left)
                || pair[1] is not JsonValue r || !r.TryGetValue(out string? right) || left.Length == 0 || right.Length == 0)
                throw new DataFormatException(name, 0, $"field 'merges', entry {i + 1}: expected a pair of two non-empty strings");
            list.Add((left, right));
        }
        return list;
    }

    private static string String(JsonObject obj, string field, string name) =>
        obj[field] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new DataFormatException(name, 0, $"field '{field}': expected a string");

    private static List<string> StringList(JsonObject obj, string field, string name)
    {
        if (obj[field] is not JsonArray arr) throw new DataFormatException(name, 0, $"field '{field}': expected an array of strings");
        var list = new List<string>(arr.Count);
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonValue v || !v.TryGetValue(out string? s)) throw new DataFormatException(name, 0, $"field '{field}', entry {i + 1}: expected a string");
            list.Add(s);
        }
        return list;
    }

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode)s!)]);

    private static string StandardizeName(Standardize s) => s switch
    {
        Standardize.None => "none",
        Standardize.Lower => "lower",
        _ => "lower_and_strip_punctuation",
    };

    private static Standardize ParseStandardize(string s, string name) => s switch
    {
        "none" => Standardize.None,
        "lower" => Standardize.Lower,
        "lower_and_strip_punctuation" => Standardize.LowerAndStripPunctuation,
        _ => throw new DataFormatException(name, 0, $"field 'standardize': expected none, lower or lower_and_strip_punctuation, got \"{s}\""),
    };
}
