// Reads a BERT tokenizer as Hugging Face stores it: vocab.txt (one token per line, id = line number, CRLF or LF)
// with tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars, the special-token strings,
// model_max_length), or a fast tokenizer's tokenizer.json (a WordPiece model and a BertNormalizer) when there is no
// vocab.txt. Writes the vocab.txt + tokenizer_config.json pair into Attend's model directories.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Text.Tokenization;

/// <summary>A WordPiece tokenizer and the longest input its model takes (model_max_length), when the files say.</summary>
public sealed record BertTokenizerFile(WordPieceTokenizer Tokenizer, int? MaxLength);

/// <summary>Loading and saving Hugging Face BERT tokenizer files.</summary>
public static class BertTokenizerFiles
{
    private const long MaxFileBytes = 64L << 20;

    /// <summary>Whether <paramref name="dir"/> holds a BERT tokenizer (vocab.txt or tokenizer.json).</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, "vocab.txt")) || File.Exists(Path.Combine(dir, "tokenizer.json"));

    /// <summary>
    /// Loads the tokenizer in <paramref name="dir"/>. <paramref name="lowerCase"/> overrides do_lower_case; without
    /// either, casing follows the vocabulary (an uncased vocabulary has no upper-case pieces).
    /// </summary>
    public static BertTokenizerFile Load(string dir, bool? lowerCase = null)
    {
        string vocabPath = Path.Combine(dir, "vocab.txt"), configPath = Path.Combine(dir, "tokenizer_config.json");
        if (!File.Exists(vocabPath))
        {
            string fast = Path.Combine(dir, "tokenizer.json");
            if (File.Exists(fast)) return LoadFast(fast, lowerCase);
            throw new DataFormatException(vocabPath, 0, "file not found: a BERT tokenizer needs vocab.txt (or tokenizer.json)");
        }
        var vocab = ReadVocab(vocabPath);
        var config = File.Exists(configPath) ? ReadObject(configPath) : new JsonObject();
        try
        {
            bool lower = lowerCase ?? Bool(config, "do_lower_case", configPath) ?? InferLowerCase(vocab);
            var pre = new BertPreTokenizer(lower, Bool(config, "strip_accents", configPath), Bool(config, "tokenize_chinese_chars", configPath) ?? true);
            var tokenizer = new WordPieceTokenizer(vocab, pre, Special(config, "unk_token", "[UNK]", configPath), Special(config, "cls_token", "[CLS]", configPath),
                Special(config, "sep_token", "[SEP]", configPath), Special(config, "pad_token", "[PAD]", configPath), Special(config, "mask_token", "[MASK]", configPath));
            return new BertTokenizerFile(tokenizer, MaxLength(config, configPath));
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(vocabPath, 0, e.Message);
        }
    }

    /// <summary>Reads vocab.txt: one token per line, the line's end (\n or \r\n) removed.</summary>
    public static List<string> ReadVocab(string path)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        if (new FileInfo(path).Length > MaxFileBytes) throw new DataFormatException(path, 0, $"a vocabulary over {MaxFileBytes >> 20} MiB is not a WordPiece vocab.txt");
        var text = File.ReadAllText(path);
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) throw new DataFormatException(path, 0, "the vocabulary is empty");
        return lines;
    }

    /// <summary>
    /// True when lower-casing would change no piece (an uncased vocabulary; special tokens in brackets aside). Letters
    /// without a lower-case form, such as ℝ, do not make a vocabulary cased.
    /// </summary>
    public static bool InferLowerCase(IEnumerable<string> vocab) =>
        !vocab.Where(t => !(t.StartsWith('[') && t.EndsWith(']'))).Any(t => BertPreTokenizer.PythonLower(t) != t);

    /// <summary>Writes vocab.txt and tokenizer_config.json for <paramref name="tokenizer"/> into <paramref name="dir"/>.</summary>
    public static void Save(WordPieceTokenizer tokenizer, string dir, int? maxLength)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, "vocab.txt"), string.Concat(tokenizer.Tokens.Select(t => t + "\n")));
        var p = tokenizer.PreTokenizer;
        var config = new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = p.LowerCase,
            ["strip_accents"] = p.StripAccents,
            ["tokenize_chinese_chars"] = p.SplitCjk,
            ["unk_token"] = tokenizer.Tokens[tokenizer.UnkId],
            ["cls_token"] = tokenizer.Tokens[tokenizer.ClsId],
            ["sep_token"] = tokenizer.Tokens[tokenizer.SepId],
            ["pad_token"] = tokenizer.Tokens[tokenizer.PadId],
        };
        if (tokenizer.MaskId >= 0) config["mask_token"] = tokenizer.Tokens[tokenizer.MaskId];
        if (maxLength is int m) config["model_max_length"] = m;
        AtomicFile.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    // tokenizer.json of the `tokenizers` library: {"normalizer": {"type": "BertNormalizer", ...}, "model": {"type": "WordPiece", "vocab": {...}}}
    private static BertTokenizerFile LoadFast(string path, bool? lowerCase)
    {
        var root = ReadObject(path);
        if (root["model"] is not JsonObject model || model["type"]?.GetValue<string>() != "WordPiece")
            throw new DataFormatException(path, 0, "field 'model.type': expected \"WordPiece\" (a BERT-family tokenizer)");
        if (model["vocab"] is not JsonObject vocabObject) throw new DataFormatException(path, 0, "field 'model.vocab': expected an object of token → id");
        var vocab = new string[vocabObject.Count];
        foreach (var (token, node) in vocabObject)
        {
            if (node is not JsonValue v || !v.TryGetValue(out int id) || id < 0 || id >= vocab.Length || vocab[id] is not null)
                throw new DataFormatException(path, 0, $"field 'model.vocab', token \"{token}\": expected a distinct id in [0, {vocab.Length})");
            vocab[id] = token;
        }
        var normalizer = root["normalizer"] as JsonObject ?? [];
        if (normalizer["type"]?.GetValue<string>() is { } type && type != "BertNormalizer")
            throw new DataFormatException(path, 0, $"field 'normalizer.type': expected \"BertNormalizer\", got \"{type}\"");
        try
        {
            bool lower = lowerCase ?? Bool(normalizer, "lowercase", path) ?? InferLowerCase(vocab);
            var pre = new BertPreTokenizer(lower, Bool(normalizer, "strip_accents", path), Bool(normalizer, "handle_chinese_chars", path) ?? true);
            string unk = model["unk_token"]?.GetValue<string>() ?? "[UNK]";
            int maxWord = model["max_input_chars_per_word"]?.GetValue<int>() ?? 100;
            string continuation = model["continuing_subword_prefix"]?.GetValue<string>() ?? "##";
            var tokenizer = new WordPieceTokenizer(vocab, pre, unk, maxWordLength: maxWord, continuation: continuation);
            var configPath = Path.Combine(Path.GetDirectoryName(path)!, "tokenizer_config.json");
            return new BertTokenizerFile(tokenizer, File.Exists(configPath) ? MaxLength(ReadObject(configPath), configPath) : null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new DataFormatException(path, 0, e.Message);
        }
    }

    private static JsonObject ReadObject(string path)
    {
        if (new FileInfo(path).Length > MaxFileBytes) throw new DataFormatException(path, 0, $"over {MaxFileBytes >> 20} MiB: not a tokenizer file");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: JsonStrict.Document) as JsonObject
                ?? throw new DataFormatException(path, 0, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON ({e.Message})");
        }
    }

    private static bool? Bool(JsonObject obj, string key, string path) => obj[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw new DataFormatException(path, 0, $"field '{key}': expected true, false or null"),
    };

    // a special token is a string, or an AddedToken object {"content": "[UNK]", ...}
    private static string Special(JsonObject obj, string key, string fallback, string path) => obj[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? s) => s,
        _ => throw new DataFormatException(path, 0, $"field '{key}': expected a token string"),
    };

    // Hugging Face writes a huge number (1e30) when the length is unbounded
    private static int? MaxLength(JsonObject obj, string path) => obj["model_max_length"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out double d) => d is >= 1 and <= 1 << 20 ? (int)d : null,
        _ => throw new DataFormatException(path, 0, "field 'model_max_length': expected a number"),
    };
}
