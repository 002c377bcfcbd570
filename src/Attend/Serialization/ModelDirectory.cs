// The versioned model directory (docs/model-format.md):
//   config.json        {"format": "attend-model", "version": 1, "architecture": "<kind>", "config": {...}, and the
//                      sections the kind declares (a forecaster's "series", a classifier's "text")}
//   model.safetensors  the state dict in F32 under PyTorch names (a tied generator.weight is stored once, as
//                      embedding.weight)
//   tokenizer.json     optional, the tokenizer the model was trained with
// This file knows no model: Models/ModelRegistry.cs says which architectures exist and builds them with the primitives
// here (header, config parsing, the memory-bounded build, weights, tokenizer). Each file is written atomically;
// loading validates every field and names the file and field on error.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Serialization;

/// <summary>A model directory's config.json, its format and version checked.</summary>
/// <param name="Architecture">The kind of model, e.g. "transformer-seq2seq".</param>
/// <param name="Root">The whole object: "config" and any sections.</param>
/// <param name="Path">The config.json file, for messages.</param>
public sealed record ModelHeader(string Architecture, JsonObject Root, string Path)
{
    /// <summary>The model's hyperparameters (the "config" object).</summary>
    public JsonNode? Config => Root["config"];

    /// <summary>The section <paramref name="key"/> (an object beside "config"), or a format error naming it.</summary>
    public JsonObject Section(string key) =>
        Root[key] as JsonObject ?? throw new DataFormatException(Path, 0, $"field '{key}': expected an object");
}

/// <summary>Reads and writes the files of a model directory.</summary>
/// <summary>
/// How a weights file names a model's tensors: every name behind <paramref name="Prefix"/> (Hugging Face's "bert."),
/// and the stored tensors <paramref name="Skip"/> passes over (buffers and heads the model does not have).
/// </summary>
public sealed record WeightNames(string Prefix = "", Func<string, bool>? Skip = null);

public static class ModelDirectory
{
    public const string Format = "attend-model";
    public const int Version = 1;

    /// <summary>How model configs are written and read: their own key names, unknown keys refused.</summary>
    public static readonly JsonSerializerOptions ConfigJson = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>
    /// Writes config.json (<paramref name="architecture"/>, <paramref name="config"/> and the extra
    /// <paramref name="sections"/>), model.safetensors and, when given, tokenizer.json into <paramref name="dir"/>.
    /// </summary>
    public static void Save(string dir, Module model, string architecture, JsonNode config, ITokenizer? tokenizer = null,
        IReadOnlyDictionary<string, JsonObject>? sections = null)
    {
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter().Metadata("format", "pt").Metadata("attend", $"{Format} v{Version}");
        ModuleWeights.Add(writer, model);
        writer.Save(WeightsPath(dir));
        var root = new JsonObject { ["format"] = Format, ["version"] = Version, ["architecture"] = architecture, ["config"] = config.DeepClone() };
        foreach (var (key, value) in sections ?? new Dictionary<string, JsonObject>()) root[key] = value.DeepClone();
        Text.AtomicFile.WriteAllText(ConfigPath(dir), root.ToJsonString(ConfigJson));
        if (tokenizer is not null) TokenizerFile.Save(tokenizer, Path.Combine(dir, "tokenizer.json"));
    }

    /// <summary>The directory's config.json with its format and version checked and its architecture read.</summary>
    public static ModelHeader ReadHeader(string dir)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        string path = ConfigPath(dir);
        var obj = ReadJsonObject(path);
        if (obj["format"]?.GetValueKind() != JsonValueKind.String || (string?)obj["format"] != Format) throw new DataFormatException(path, 0, $"field 'format': expected \"{Format}\"");
        if (obj["version"] is not JsonValue v || !v.TryGetValue(out int version) || version != Version) throw new DataFormatException(path, 0, $"field 'version': expected {Version}");
        if (obj["architecture"]?.GetValueKind() != JsonValueKind.String) throw new DataFormatException(path, 0, "field 'architecture': expected a string");
        return new ModelHeader((string)obj["architecture"]!, obj, path);
    }

    /// <summary>The directory's config.json.</summary>
    public static string ConfigPath(string dir) => Path.Combine(dir, "config.json");

    /// <summary>The directory's weights file.</summary>
    public static string WeightsPath(string dir) => Path.Combine(dir, "model.safetensors");

    /// <summary>Parses model hyperparameters with <see cref="ConfigJson"/> and checks them; errors name the file and the key.</summary>
    public static T ParseConfig<T>(JsonNode? node, string path, Func<T, string?> problemOf) where T : class
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

    /// <summary>The directory's tokenizer.json, checked against the model's vocabulary size, or null when absent.</summary>
    public static ITokenizer? LoadTokenizer(string dir, int vocabSize)
    {
        string tokPath = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(tokPath)) return null;
        var tokenizer = TokenizerFile.Load(tokPath);
        // a tokenizer of another size would give ids outside the embedding, or leave rows unused
        if (tokenizer.Vocabulary.Count != vocabSize)
            throw new DataFormatException(tokPath, 0, $"{tokenizer.Vocabulary.Count} tokens, but the model has vocab_size {vocabSize}");
        return tokenizer;
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
        Build(ConfigPath(dir), hasWeights ? WeightsPath(dir) : null, create);

    /// <summary>As <see cref="Build{T}(string, Func{T}, bool)"/> with the config and weights files named apart (null: no weights).</summary>
    /// <param name="names">How the file names the model's tensors (a prefix, tensors to pass over); null = as the model does.</param>
    public static T Build<T>(string configPath, string? weightsPath, Func<T> create, WeightNames? names = null) where T : Module
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
            // every parameter and buffer is read from the file below (a missing one is an error), so none is drawn at random
            using (AllocationBudget.Limit(stored + BuildSlackElements))
            using (Tensor.SkipRandomInit(file is not null)) model = create();
        }
        catch (AllocationBudgetException e)
        {
            throw new DataFormatException(configPath, 0,
                $"the model it describes needs at least {AllocationBudgetException.Bytes(e.Requested)} of tensors, but {(file is null ? "it stores no weights" : $"{Path.GetFileName(weightsPath)} holds {AllocationBudgetException.Bytes(stored)}")} " +
                "(check d_model, vocab_size, max_positions, dim_feedforward and the layer counts)");
        }
        if (file is not null) LoadWeights(file, model, weightsPath!, names);
        model.Eval();
        return model;
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

    /// <summary>
    /// Fills every parameter and buffer of <paramref name="model"/> from <paramref name="file"/>, each read straight into
    /// the model's memory: names and shapes must match, nothing may be left over, a tied weight may be stored once or
    /// twice (then equal), and every value must be finite. Errors name <paramref name="path"/> and the tensor.
    /// </summary>
    public static void LoadWeights(SafeTensorsFile file, Module model, string path, WeightNames? names = null)
    {
        string prefix = names?.Prefix ?? "";
        var filled = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance); // model tensor → the name it was read under
        var used = new HashSet<string>();
        foreach (var (own, t) in model.NamedState())
        {
            string name = prefix + own;
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
        var unknown = file.Entries.Keys.Where(k => !used.Contains(k) && names?.Skip?.Invoke(k) != true).ToList();
        if (unknown.Count > 0) throw new DataFormatException(path, 0, $"unexpected tensor(s): {string.Join(", ", unknown.Take(5))}");
    }

    private static int FirstNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
