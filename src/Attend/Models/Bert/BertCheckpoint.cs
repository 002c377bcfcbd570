// Loading a BERT-family model with its WordPiece tokenizer from either kind of directory:
//   - Attend's ("bert" or "bert-classifier" in config.json, written by attend convert), through the model registry;
//   - Hugging Face's, as save_pretrained writes it or the Hub serves it: config.json with model_type "bert",
//     model.safetensors (keys with or without "bert.", older files' position_ids buffers and pretraining heads passed
//     over), vocab.txt + tokenizer_config.json or tokenizer.json. BertForSequenceClassification becomes a classifier,
//     every other architecture an encoder. pytorch_model.bin (a pickle) is never read: the error names the fix.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Serialization;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>A loaded BERT model (a <see cref="BertModel"/> or a <see cref="BertClassifier"/>) with its tokenizer.</summary>
/// <param name="MaxLength">The longest input in tokens: the position table, or the tokenizer's model_max_length if smaller.</param>
public sealed record BertCheckpoint(Module Model, WordPieceTokenizer Tokenizer, int MaxLength, string Source)
{
    /// <summary>The encoder itself (a classifier's "bert").</summary>
    public BertModel Encoder => Model as BertModel ?? ((BertClassifier)Model).Bert;

    /// <summary>The classifier, or null for a bare encoder.</summary>
    public BertClassifier? Classifier => Model as BertClassifier;

    /// <summary>Whether <paramref name="dir"/> is a Hugging Face model directory (config.json with model_type, not Attend's format).</summary>
    public static bool IsHuggingFace(string dir)
    {
        string path = ModelDirectory.ConfigPath(dir);
        if (!File.Exists(path)) return false;
        var root = ModelDirectory.ReadJsonObject(path);
        return root["model_type"] is not null && root["format"] is null;
    }

    /// <summary>Loads an Attend or Hugging Face BERT directory; <paramref name="lowerCase"/> overrides the tokenizer's casing.</summary>
    public static BertCheckpoint Load(string dir, bool? lowerCase = null)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        Module model;
        if (IsHuggingFace(dir)) model = LoadHuggingFace(dir);
        else
        {
            var loaded = ModelRegistry.Load<Module>(dir);
            if (loaded.Model is not (BertModel or BertClassifier))
                throw new DataFormatException(ModelDirectory.ConfigPath(dir), 0, $"field 'architecture': \"{loaded.Kind.Name}\" is not a BERT model; expected \"bert\" or \"bert-classifier\"");
            model = loaded.Model;
        }
        var file = BertTokenizerFiles.Load(dir, lowerCase);
        var config = model is BertModel m ? m.Config : ((BertClassifier)model).Config;
        if (file.Tokenizer.Tokens.Count > config.VocabSize)
            throw new DataFormatException(Path.Combine(dir, "vocab.txt"), 0, $"{file.Tokenizer.Tokens.Count} tokens, but the model has vocab_size {config.VocabSize}");
        return new BertCheckpoint(model, file.Tokenizer, Math.Min(config.MaxPositions, file.MaxLength ?? int.MaxValue), dir);
    }

    /// <summary>
    /// An encoder from an ONNX graph (<see cref="BertOnnxImport"/>) with the WordPiece vocabulary in
    /// <paramref name="vocabPath"/>; <paramref name="lowerCase"/> null infers casing from the vocabulary.
    /// </summary>
    public static BertCheckpoint FromOnnx(string onnxPath, string vocabPath, bool? lowerCase)
    {
        var vocab = BertTokenizerFiles.ReadVocab(vocabPath);
        var model = BertOnnxImport.Load(onnxPath);
        if (vocab.Count != model.Config.VocabSize)
            throw new DataFormatException(vocabPath, 0, $"{vocab.Count} tokens, but the model's word embeddings have {model.Config.VocabSize} rows");
        try
        {
            var tokenizer = new WordPieceTokenizer(vocab, new BertPreTokenizer(lowerCase ?? BertTokenizerFiles.InferLowerCase(vocab)));
            return new BertCheckpoint(model, tokenizer, model.Config.MaxPositions, onnxPath);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(vocabPath, 0, e.Message);
        }
    }

    /// <summary>
    /// Writes an Attend model directory: config.json (with <paramref name="sections"/> beside "config"),
    /// model.safetensors (Hugging Face's names), vocab.txt, tokenizer_config.json.
    /// </summary>
    public void Save(string dir, IReadOnlyDictionary<string, JsonObject>? sections = null)
    {
        ModelRegistry.Save(dir, Model, sections: sections);
        BertTokenizerFiles.Save(Tokenizer, dir, MaxLength);
    }

    private static readonly string[] Unsupported = ["is_decoder", "add_cross_attention"];

    private static Module LoadHuggingFace(string dir)
    {
        string configPath = ModelDirectory.ConfigPath(dir);
        var root = ModelDirectory.ReadJsonObject(configPath);
        string type = root["model_type"] is JsonValue v && v.TryGetValue(out string? t) ? t : "";
        if (type != "bert")
            throw new DataFormatException(configPath, 0, $"field 'model_type': \"{type}\" is not supported here; expected \"bert\" (BertModel, BertForSequenceClassification and BERT-architecture models such as MiniLM)");
        foreach (var key in Unsupported)
            if (root[key] is JsonValue f && f.TryGetValue(out bool on) && on) throw new DataFormatException(configPath, 0, $"field '{key}': a BERT decoder is not supported (only encoders)");
        BertConfig config;
        try
        {
            config = root.Deserialize<BertConfig>() ?? throw new DataFormatException(configPath, 0, "expected a BertConfig object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(configPath, 0, $"field '{e.Path?.TrimStart('$', '.')}': {e.Message.Split(" Path:")[0]}");
        }
        string architecture = root["architectures"] is JsonArray a && a.Count > 0 && a[0] is JsonValue av && av.TryGetValue(out string? name) ? name : "BertModel";
        bool classifier = architecture == "BertForSequenceClassification";
        if (classifier && config.Id2Label is null)
        {
            int n = root["num_labels"] is JsonValue nv && nv.TryGetValue(out int k) ? k : 2;
            config = config with { Id2Label = Enumerable.Range(0, n).ToDictionary(i => i.ToString(), i => $"LABEL_{i}") };
        }

        string weights = HuggingFaceWeights.Path(dir);
        var entries = SafeTensorsFile.Load(weights).Entries.Keys.ToList();
        string prefix = entries.Any(k => k.StartsWith("bert.", StringComparison.Ordinal)) ? "bert." : "";
        bool pooler = entries.Contains(prefix + "pooler.dense.weight");
        if (classifier)
        {
            string? problem = config.Problem() ?? (config.Labels.Length < 2 ? "id2label: a classifier needs at least two classes" : null);
            if (problem is not null) throw new DataFormatException(configPath, 0, $"field '{problem.Split(':')[0]}': {problem[(problem.IndexOf(':') + 1)..].Trim()}");
            return ModelDirectory.Build(configPath, weights, () => new BertClassifier(config, new Rng(0)),
                new WeightNames(Skip: IsBuffer));
        }
        config = config with { Id2Label = null, AddPoolingLayer = pooler };
        if (config.Problem() is { } p) throw new DataFormatException(configPath, 0, $"field '{p.Split(':')[0]}': {p[(p.IndexOf(':') + 1)..].Trim()}");
        // a task model's encoder: its heads (MLM "cls.", a classifier's "classifier.") are not part of BertModel
        return ModelDirectory.Build(configPath, weights, () => new BertModel(config, new Rng(0)),
            new WeightNames(prefix, k => IsBuffer(k) || !k.StartsWith(prefix, StringComparison.Ordinal)));
    }

    private static bool IsBuffer(string name) => name.EndsWith("position_ids", StringComparison.Ordinal);
}
