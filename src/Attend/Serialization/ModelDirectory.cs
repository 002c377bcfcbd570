// The versioned model directory (docs/model-format.md):
//   config.json        {"format": "attend-model", "version": 1, "architecture": "transformer-seq2seq", "rnn-seq2seq", …,
//                      "config": {...}}
//   model.safetensors  the state dict in F32 under PyTorch names (a tied generator.weight is stored once, as
//                      embedding.weight)
//   tokenizer.json     optional, the tokenizer the model was trained with
// Each file is written atomically; loading validates every field and names the file and field on error.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Serialization;

/// <summary>A loaded model with its optional tokenizer.</summary>
public sealed record LoadedModel(Seq2SeqModel Model, ITokenizer? Tokenizer);

/// <summary>A loaded language model with its optional tokenizer.</summary>
public sealed record LoadedLm(DecoderLm Model, ITokenizer? Tokenizer);

/// <summary>Saves and loads model directories.</summary>
public static partial class ModelDirectory
{
    public const string Format = "attend-model";
    public const int Version = 1;
    public const string Seq2SeqArchitecture = "transformer-seq2seq";
    public const string RnnSeq2SeqArchitecture = "rnn-seq2seq";
    public const string LmArchitecture = "decoder-lm";
    public const string ForecasterArchitecture = "forecaster";

    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Writes config.json, model.safetensors and (when given) tokenizer.json into <paramref name="dir"/>.</summary>
    public static void Save(string dir, Seq2SeqModel model, ITokenizer? tokenizer = null)
    {
        switch (model)
        {
            case Seq2SeqTransformer t: Save(dir, t, Seq2SeqArchitecture, JsonSerializer.SerializeToNode(t.Config, ConfigJson), tokenizer); break;
            case RnnSeq2Seq r: Save(dir, r, RnnSeq2SeqArchitecture, JsonSerializer.SerializeToNode(r.Config, ConfigJson), tokenizer); break;
            default: throw new NotSupportedException($"no model directory format for {model.GetType().Name}");
        }
    }

    /// <summary>Writes a language model's directory.</summary>
    public static void Save(string dir, DecoderLm model, ITokenizer? tokenizer = null) =>
        Save(dir, model, LmArchitecture, JsonSerializer.SerializeToNode(model.Config, ConfigJson), tokenizer);

    /// <summary>
    /// Writes a forecaster's directory; <paramref name="series"/> (what the model expects of its input and how it was
    /// scaled) is stored beside the hyperparameters under the key "series".
    /// </summary>
    public static void Save(string dir, Forecaster model, JsonObject series) =>
        Save(dir, model, ForecasterArchitecture, JsonSerializer.SerializeToNode(model.Config, ConfigJson), null, ("series", series));

    /// <summary>Loads a forecaster directory and its "series" object.</summary>
    public static (Forecaster Model, JsonObject Series) LoadForecaster(string dir)
    {
        var header = ReadHeader(dir, ForecasterArchitecture);
        var config = ParseConfig<ForecasterConfig>(header, ConfigPath(dir), c => c.Problem());
        var series = ReadJsonObject(ConfigPath(dir))["series"] as JsonObject ?? throw new DataFormatException(ConfigPath(dir), 0, "field 'series': expected an object (columns and scaler)");
        var model = Forecaster.Create(config, new Rng(0));
        if (model.Trainable) LoadWeightsAndTokenizer(dir, model);
        model.Eval();
        return (model, series);
    }

    private static void Save(string dir, Module model, string architecture, JsonNode? config, ITokenizer? tokenizer, (string Key, JsonObject Value)? extra = null)
    {
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter().Metadata("format", "pt").Metadata("attend", $"{Format} v{Version}");
        ModuleWeights.Add(writer, model);
        writer.Save(Path.Combine(dir, "model.safetensors"));
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["architecture"] = architecture,
            ["config"] = config,
        };
        if (extra is { } e) root[e.Key] = e.Value.DeepClone();
        Text.AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), root.ToJsonString(ConfigJson));
        if (tokenizer is not null) TokenizerFile.Save(tokenizer, Path.Combine(dir, "tokenizer.json"));
    }

    /// <summary>Loads a translation model directory (a Transformer or an RNN with attention).</summary>
    public static LoadedModel Load(string dir)
    {
        Seq2SeqModel model;
        // the header is validated by ReadHeader (format, version, architecture in that order); here only its kind decides
        if (File.Exists(ConfigPath(dir)) && ReadJsonObject(ConfigPath(dir))["architecture"] is JsonValue v && v.TryGetValue(out string? kind) && kind == RnnSeq2SeqArchitecture)
            model = new RnnSeq2Seq(ParseConfig<RnnSeq2SeqConfig>(ReadHeader(dir, RnnSeq2SeqArchitecture), ConfigPath(dir), c => c.Problem()), new Rng(0));
        else
            model = new Seq2SeqTransformer(ParseConfig<Seq2SeqConfig>(ReadHeader(dir, Seq2SeqArchitecture), ConfigPath(dir), c => c.Problem()), new Rng(0));
        return new LoadedModel(model, LoadWeightsAndTokenizer(dir, model));
    }

    /// <summary>Loads a language model directory.</summary>
    public static LoadedLm LoadLm(string dir)
    {
        var config = ParseConfig<DecoderLmConfig>(ReadHeader(dir, LmArchitecture), ConfigPath(dir), c => c.Problem());
        var model = new DecoderLm(config, new Rng(0));
        return new LoadedLm(model, LoadWeightsAndTokenizer(dir, model));
    }

    /// <summary>The architecture named by a model directory's config.json.</summary>
    public static string ReadArchitecture(string dir)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        var obj = ReadJsonObject(ConfigPath(dir));
        return obj["architecture"]?.GetValueKind() == JsonValueKind.String ? (string)obj["architecture"]! : throw new DataFormatException(ConfigPath(dir), 0, "field 'architecture': expected a string");
    }

    /// <summary>Reads and validates a translation model's config.json.</summary>
    public static Seq2SeqConfig ReadConfig(string path) => ParseSeq2SeqConfig(ReadHeaderFile(path, Seq2SeqArchitecture), path);

    private static string ConfigPath(string dir) => Path.Combine(dir, "config.json");

    private static JsonNode? ReadHeader(string dir, string architecture)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        return ReadHeaderFile(ConfigPath(dir), architecture);
    }

    // checks format, version and architecture; returns the "config" node
    private static JsonNode? ReadHeaderFile(string path, string architecture)
    {
        var obj = ReadJsonObject(path);
        if (obj["format"]?.GetValueKind() != JsonValueKind.String || (string?)obj["format"] != Format) throw new DataFormatException(path, 0, $"field 'format': expected \"{Format}\"");
        if (obj["version"] is not JsonValue v || !v.TryGetValue(out int version) || version != Version) throw new DataFormatException(path, 0, $"field 'version': expected {Version}");
        if (obj["architecture"]?.GetValueKind() != JsonValueKind.String || (string?)obj["architecture"] != architecture)
            throw new DataFormatException(path, 0, $"field 'architecture': expected \"{architecture}\", got {obj["architecture"]?.ToJsonString() ?? "nothing"}");
        return obj["config"];
    }

    private static ITokenizer? LoadWeightsAndTokenizer(string dir, Module model)
    {
        string weightsPath = Path.Combine(dir, "model.safetensors");
        if (!File.Exists(weightsPath)) throw new DataFormatException(weightsPath, 0, "file not found");
        model.LoadStateDict(ReadStateDict(SafeTensorsFile.Load(weightsPath), model, weightsPath));
        model.Eval();
        string tokPath = Path.Combine(dir, "tokenizer.json");
        return File.Exists(tokPath) ? TokenizerFile.Load(tokPath) : null;
    }

    /// <summary>The JSON object in <paramref name="path"/>; a missing file, bad JSON or another value is a format error.</summary>
    public static JsonObject ReadJsonObject(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file not found");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new DataFormatException(path, 0, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON ({e.Message})");
        }
    }

    /// <summary>Parses the model hyperparameters (golden config key names); unknown keys are errors.</summary>
    public static Seq2SeqConfig ParseSeq2SeqConfig(JsonNode? node, string path) => ParseConfig<Seq2SeqConfig>(node, path, c => c.Problem());

    private static T ParseConfig<T>(JsonNode? node, string path, Func<T, string?> problemOf) where T : class
    {
        if (node is not JsonObject) throw new DataFormatException(path, 0, "field 'config': expected an object of model hyperparameters");
        T? config;
        try
        {
            config = node.Deserialize<T>(ConfigJson);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 0, $"field 'config': {e.Message}");
        }
        if (config is null) throw new DataFormatException(path, 0, "field 'config' is null");
        if (problemOf(config) is { } problem) throw new DataFormatException(path, 0, "field 'config': " + problem);
        return config;
    }

    /// <summary>The tensors a model needs from a safetensors file, shape-checked; a tied generator.weight may be present.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(SafeTensorsFile file, Module model, string path)
    {
        var state = new Dictionary<string, Tensor>();
        var loaded = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance); // model tensor → values read for it
        foreach (var (name, t) in model.NamedState())
        {
            bool duplicate = loaded.TryGetValue(t, out var first);
            if (!file.Entries.TryGetValue(name, out var entry))
            {
                if (duplicate)
                {
                    state[name] = first!; // a tied weight stored under its first name only
                    continue;
                }
                throw new DataFormatException(path, 0, $"tensor '{name}' {t.Shape} is missing");
            }
            if (!entry.Shape.SequenceEqual(t.Shape.ToArray()))
                throw new DataFormatException(path, 0, $"tensor '{name}': shape ({string.Join(", ", entry.Shape)}), expected {t.Shape}");
            var values = new Tensor(file.ReadFloats(name), t.Shape);
            if (duplicate && !values.Data.AsSpan().SequenceEqual(first!.Data))
                throw new DataFormatException(path, 0, $"tensor '{name}' should equal the weight it is tied to (tie_embeddings is true) but differs");
            loaded.TryAdd(t, values);
            state[name] = values;
        }
        var unknown = file.Entries.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (unknown.Count > 0) throw new DataFormatException(path, 0, $"unexpected tensor(s): {string.Join(", ", unknown.Take(5))}");
        return state;
    }
}
