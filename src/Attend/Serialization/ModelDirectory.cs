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
        // baselines without parameters are saved without weights; a model with parameters needs its file (Build says so)
        bool stored = File.Exists(Path.Combine(dir, "model.safetensors"));
        var model = Build(dir, () => Forecaster.Create(config, new Rng(0)), hasWeights: stored);
        if (model.Trainable && !stored) throw MissingFile.Error(Path.Combine(dir, "model.safetensors"));
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
        {
            var config = ParseConfig<RnnSeq2SeqConfig>(ReadHeader(dir, RnnSeq2SeqArchitecture), ConfigPath(dir), c => c.Problem());
            model = Build(dir, () => new RnnSeq2Seq(config, new Rng(0)));
        }
        else
        {
            var config = ParseConfig<Seq2SeqConfig>(ReadHeader(dir, Seq2SeqArchitecture), ConfigPath(dir), c => c.Problem());
            model = Build(dir, () => new Seq2SeqTransformer(config, new Rng(0)));
        }
        return new LoadedModel(model, LoadTokenizer(dir, model.VocabSize));
    }

    /// <summary>Loads a language model directory.</summary>
    public static LoadedLm LoadLm(string dir)
    {
        var config = ParseConfig<DecoderLmConfig>(ReadHeader(dir, LmArchitecture), ConfigPath(dir), c => c.Problem());
        var model = Build(dir, () => new DecoderLm(config, new Rng(0)));
        return new LoadedLm(model, LoadTokenizer(dir, config.VocabSize));
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
        string[] extra = architecture switch { ForecasterArchitecture => ["series"], ClassifierArchitecture => ["text"], _ => [] };
        Text.JsonStrict.OnlyFields(obj, path, ["format", "version", "architecture", "config", .. extra]);
        return obj["config"];
    }

    /// <summary>
    /// Memory a model may take beyond the values in its weights file, in floats (64 MiB): fixed tables such as
    /// sinusoidal positions, which are computed, not stored. See docs/limits.md.
    /// </summary>
    public const long BuildSlackElements = 16L << 20;

    /// <summary>
    /// Builds a model with <paramref name="create"/> inside a memory budget set by its weights file (the floats it
    /// stores plus <see cref="BuildSlackElements"/>), then fills it from the file. A config that describes a larger
    /// model than its weights is refused, naming the config, before the memory is taken.
    /// </summary>
    public static T Build<T>(string dir, Func<T> create, bool hasWeights = true) where T : Module =>
        Build(ConfigPath(dir), hasWeights ? Path.Combine(dir, "model.safetensors") : null, create);

    /// <summary>As <see cref="Build{T}(string, Func{T}, bool)"/> with the config and weights files named apart (null: no weights).</summary>
    public static T Build<T>(string configPath, string? weightsPath, Func<T> create) where T : Module
    {
        SafeTensorsFile? file = null;
        if (weightsPath is not null)
        {
            if (!File.Exists(weightsPath)) throw MissingFile.Error(weightsPath);
            file = SafeTensorsFile.Load(weightsPath);
        }
        long stored = file?.ElementCount() ?? 0;
        T model;
        try
        {
            using (AllocationBudget.Limit(stored + BuildSlackElements)) model = create();
        }
        catch (AllocationBudgetException e)
        {
            throw new DataFormatException(configPath, 0,
                $"the model it describes needs at least {AllocationBudgetException.Bytes(e.Requested)} of tensors, but {(file is null ? "it stores no weights" : $"{Path.GetFileName(weightsPath)} holds {AllocationBudgetException.Bytes(stored)}")} " +
                "(check d_model, vocab_size, max_positions, dim_feedforward and the layer counts)");
        }
        if (file is not null) LoadWeights(file, model, weightsPath!);
        model.Eval();
        return model;
    }

    /// <summary>The directory's tokenizer.json, checked against the model's vocabulary size, or null when absent.</summary>
    private static ITokenizer? LoadTokenizer(string dir, int vocabSize)
    {
        string tokPath = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(tokPath)) return null;
        var tokenizer = TokenizerFile.Load(tokPath);
        CheckVocabulary(dir, tokenizer, vocabSize);
        return tokenizer;
    }

    /// <summary>The JSON object in <paramref name="path"/>; a missing file, bad JSON or another value is a format error.</summary>
    public static JsonObject ReadJsonObject(string path)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: Text.JsonStrict.Document) as JsonObject ?? throw new DataFormatException(path, 0, "expected a JSON object");
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
            string key = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "config" : "config." + e.Path.TrimStart('$', '.');
            throw new DataFormatException(path, 0, $"field '{key}': {e.Message.Split(" Path:")[0]}");
        }
        if (config is null) throw new DataFormatException(path, 0, "field 'config' is null");
        if (problemOf(config) is { } problem) throw new DataFormatException(path, 0, "field 'config': " + problem);
        return config;
    }

    /// <summary>
    /// Fills every parameter and buffer of <paramref name="model"/> from <paramref name="file"/>, each read straight into
    /// the model's memory: names and shapes must match, nothing may be left over, a tied weight may be stored once or
    /// twice (then equal), and every value must be finite. Errors name <paramref name="path"/> and the tensor.
    /// </summary>
    public static void LoadWeights(SafeTensorsFile file, Module model, string path)
    {
        var filled = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance); // model tensor → the name it was read under
        var used = new HashSet<string>();
        foreach (var (name, t) in model.NamedState())
        {
            bool tied = filled.TryGetValue(t, out var first);
            if (!file.Entries.TryGetValue(name, out var entry))
            {
                if (tied) continue; // a tied weight stored under its first name only
                throw new DataFormatException(path, 0, $"tensor '{name}' {t.Shape} is missing");
            }
            used.Add(name);
            if (!entry.Shape.SequenceEqual(t.Shape.ToArray()))
                throw new DataFormatException(path, 0, $"tensor '{name}': shape ({string.Join(", ", entry.Shape)}), expected {t.Shape}");
            if (tied)
            {
                if (!file.ReadFloats(name).AsSpan().SequenceEqual(t.Data))
                    throw new DataFormatException(path, 0, $"tensor '{name}' should equal '{first}', the weight it is tied to, but differs");
                continue;
            }
            file.ReadFloats(name, t.Data);
            int bad = FirstNonFinite(t.Data);
            if (bad >= 0) throw new DataFormatException(path, 0, $"tensor '{name}': element {bad} is {t.Data[bad]} (weights must be finite numbers)");
            filled[t] = name;
        }
        var unknown = file.Entries.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new DataFormatException(path, 0, $"unexpected tensor(s): {string.Join(", ", unknown.Take(5))}");
    }

    private static int FirstNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
