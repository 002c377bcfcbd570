// Reads a GPT-2 tokenizer as Hugging Face stores it: vocab.json (token → id) + merges.txt (an optional "#version" line,
// then one merge "a b" per line in rank order) with tokenizer_config.json / special_tokens_map.json (bos, eos, unk, pad
// as strings or {"content": …} objects, added_tokens_decoder), or a fast tokenizer's tokenizer.json (a BPE model with
// its vocab and merges, and added_tokens) when there is no vocab.json. Errors name the file, the line and the field.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Text.Tokenization;

/// <summary>A GPT-2 tokenizer and the longest input its model takes (model_max_length), when the files say.</summary>
public sealed record Gpt2TokenizerFile(Gpt2Tokenizer Tokenizer, int? MaxLength, string? Eos);

/// <summary>Loading Hugging Face GPT-2 tokenizer files.</summary>
public static class Gpt2TokenizerFiles
{
    private const long MaxFileBytes = 256L << 20;
    private static readonly string[] SpecialKeys = ["bos_token", "eos_token", "unk_token", "pad_token"];

    /// <summary>Whether <paramref name="dir"/> holds GPT-2 tokenizer files.</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, "vocab.json")) || File.Exists(Path.Combine(dir, "tokenizer.json"));

    /// <summary>Loads the tokenizer in <paramref name="dir"/>.</summary>
    public static Gpt2TokenizerFile Load(string dir)
    {
        string vocabPath = Path.Combine(dir, "vocab.json"), mergesPath = Path.Combine(dir, "merges.txt");
        var config = Optional(Path.Combine(dir, "tokenizer_config.json"));
        var map = Optional(Path.Combine(dir, "special_tokens_map.json"));
        string? Special(string key) => Content(config[key]) ?? Content(map[key]);
        var specials = SpecialKeys.Select(Special).OfType<string>().ToList();
        if (config["added_tokens_decoder"] is JsonObject added) specials.AddRange(added.Select(kv => Content(kv.Value)).OfType<string>());
        int? maxLength = config["model_max_length"] is JsonValue m && m.TryGetValue(out double ml) && ml is >= 1 and < int.MaxValue ? (int)ml : null;

        Dictionary<string, int> vocab;
        List<(string, string)> merges;
        string source;
        if (File.Exists(vocabPath))
        {
            vocab = ReadVocab(ReadObject(vocabPath), vocabPath, "");
            merges = ReadMerges(mergesPath);
            source = vocabPath;
        }
        else
        {
            string fast = Path.Combine(dir, "tokenizer.json");
            if (!File.Exists(fast)) throw new DataFormatException(vocabPath, 0, "file not found: a GPT-2 tokenizer needs vocab.json and merges.txt (or tokenizer.json)");
            var root = ReadObject(fast);
            if (root["model"] is not JsonObject model || Content(model["type"]) != "BPE")
                throw new DataFormatException(fast, 0, "field 'model.type': expected \"BPE\" (a byte-level BPE tokenizer)");
            if (model["vocab"] is not JsonObject v) throw new DataFormatException(fast, 0, "field 'model.vocab': expected an object of token → id");
            vocab = ReadVocab(v, fast, "model.vocab");
            merges = model["merges"] is JsonArray list ? list.Select((n, i) => FastMerge(n, fast, i)).ToList()
                : throw new DataFormatException(fast, 0, "field 'model.merges': expected an array");
            if (root["added_tokens"] is JsonArray tokens) specials.AddRange(tokens.Select(t => Content(t)).OfType<string>());
            source = fast;
        }
        try
        {
            return new Gpt2TokenizerFile(new Gpt2Tokenizer(vocab, merges, specials, Special("unk_token")), maxLength, Special("eos_token"));
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(source, 0, e.Message);
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonObject obj, string path, string field)
    {
        var vocab = new Dictionary<string, int>(obj.Count, StringComparer.Ordinal);
        foreach (var (token, node) in obj)
        {
            if (node is not JsonValue v || !v.TryGetValue(out int id) || id < 0 || id >= obj.Count)
                throw new DataFormatException(path, 0, $"field '{(field.Length > 0 ? field + "." : "")}{token}': expected an id in [0, {obj.Count})");
            vocab[token] = id;
        }
        return vocab;
    }

    private static List<(string, string)> ReadMerges(string path)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        if (new FileInfo(path).Length > MaxFileBytes) throw new DataFormatException(path, 0, $"over {MaxFileBytes >> 20} MiB: not a merges.txt");
        var merges = new List<(string, string)>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new DataFormatException(path, lineNumber, $"expected a merge \"left right\" (two symbols and one space), got \"{line}\"");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    // "a b" (tokenizers before 0.20) or ["a", "b"]
    private static (string, string) FastMerge(JsonNode? node, string path, int index)
    {
        if (node is JsonValue v && v.TryGetValue(out string? s) && s.Split(' ') is [{ Length: > 0 } l, { Length: > 0 } r]) return (l, r);
        if (node is JsonArray { Count: 2 } a && Content(a[0]) is { Length: > 0 } left && Content(a[1]) is { Length: > 0 } right) return (left, right);
        throw new DataFormatException(path, 0, $"field 'model.merges[{index}]': expected \"left right\" or [left, right]");
    }

    // a special token written as a string or as {"content": "..."}
    private static string? Content(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : node is JsonObject o && o["content"] is JsonValue c && c.TryGetValue(out string? t) ? t : null;

    private static JsonObject Optional(string path) => File.Exists(path) ? ReadObject(path) : [];

    private static JsonObject ReadObject(string path)
    {
        if (new FileInfo(path).Length > MaxFileBytes) throw new DataFormatException(path, 0, $"over {MaxFileBytes >> 20} MiB: not a tokenizer file");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: JsonStrict.Document) as JsonObject ?? throw new DataFormatException(path, 0, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON ({e.Message})");
        }
    }
}
