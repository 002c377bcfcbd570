// Run configs (configs/*.json): a JSON object, dotted `--set key=value` overrides applied on top (the value is parsed
// as JSON when it can be — numbers, true/false, arrays — and taken as a string otherwise), then bound to a typed
// record where unknown keys and wrong types are errors that name the file and the key. The file is laid over the
// record's own defaults, section by section, so a section given in part keeps the task's defaults for the keys it leaves
// out (a tagging config that sets only optim.lr keeps tagging's max_tokens, not another task's).
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Attend.Text.Corpora;

namespace Attend.Serialization;

/// <summary>Loads run configs with overrides.</summary>
public static class RunConfigFile
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new Text.SnakeCaseEnums() },
    };

    /// <summary>Reads <paramref name="path"/>, applies <paramref name="overrides"/> ("a.b=value") and binds the result to <typeparamref name="T"/>.</summary>
    public static T Load<T>(string path, IEnumerable<string> overrides) where T : class, new()
    {
        var root = ModelDirectory.ReadJsonObject(path);
        foreach (var o in overrides) Apply(root, o, path);
        return Bind<T>(root, path);
    }

    /// <summary>Binds a JSON object, laid over <typeparamref name="T"/>'s defaults, to <typeparamref name="T"/> (snake_case keys; unknown keys are errors).</summary>
    public static T Bind<T>(JsonObject root, string path) where T : class, new()
    {
        try
        {
            var merged = JsonSerializer.SerializeToNode(new T(), Strict)!.AsObject();
            Overlay(merged, root);
            return merged.Deserialize<T>(Strict) ?? throw new DataFormatException(path, 0, "the config is null");
        }
        catch (JsonException e)
        {
            string key = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.TrimStart('$', '.');
            string what = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown key" : e.Message.Split(" Path:")[0];
            // a section's own converter names the key inside it: "key 'architecture': …"
            if (what.StartsWith("key '", StringComparison.Ordinal) && what.IndexOf("': ", StringComparison.Ordinal) is > 5 and var end)
            {
                key = key.Length == 0 ? what[5..end] : $"{key}.{what[5..end]}";
                what = what[(end + 3)..];
            }
            throw new DataFormatException(path, 0, (key.Length == 0 ? "" : $"key '{key}': ") + what);
        }
    }

    /// <summary>
    /// Starts a run directory: refuses a config with a <paramref name="problem"/> (naming it), creates
    /// <paramref name="runDir"/> and saves the resolved config there as config.json (atomically).
    /// </summary>
    public static void StartRun<T>(string runDir, T config, string? problem)
    {
        if (problem is not null) throw new DataFormatException("config", 0, problem);
        Directory.CreateDirectory(runDir);
        Text.AtomicFile.WriteAllText(Path.Combine(runDir, "config.json"), ToJson(config));
    }

    private static readonly JsonSerializerOptions Results = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a missing test set scores NaN
    };

    private static readonly JsonSerializerOptions ResultsIndented = new(Results) { WriteIndented = true };

    /// <summary>A run's results as JSON with snake_case keys: indented for results.json, or on one line.</summary>
    public static string ResultsToJson<T>(T results, bool indented = true) => JsonSerializer.Serialize(results, indented ? ResultsIndented : Results);

    /// <summary>Writes <paramref name="results"/> to the run directory's results.json (atomically).</summary>
    public static void WriteResults<T>(string runDir, T results) =>
        Text.AtomicFile.WriteAllText(Path.Combine(runDir, "results.json"), ResultsToJson(results));

    /// <summary>The config as indented JSON (saved with every run).</summary>
    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, Strict);

    // source's keys replace target's, except that an object given where target has one is laid over it in turn, unless
    // it names another "architecture" (whose keys differ: it starts from that architecture's own defaults)
    private static void Overlay(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing && !OtherArchitecture(existing, inner)) Overlay(existing, inner);
            else target[key] = value?.DeepClone();
        }
    }

    private static bool OtherArchitecture(JsonObject a, JsonObject b) =>
        a["architecture"] is { } x && b["architecture"] is { } y && !JsonNode.DeepEquals(x, y);

    private static void Apply(JsonObject root, string assignment, string path)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new DataFormatException("--set", 0, $"'{assignment}': expected key=value, e.g. train.max_minutes=30");
        string key = assignment[..eq].Trim(), raw = assignment[(eq + 1)..];
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(raw);
        }
        var parts = key.Split('.');
        JsonObject node = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (node[parts[i]] is not JsonObject child)
            {
                if (node.ContainsKey(parts[i])) throw new DataFormatException("--set", 0, $"'{key}': '{parts[i]}' in {path} is not an object");
                node[parts[i]] = child = new JsonObject();
            }
            node = child;
        }
        node[parts[^1]] = value;
    }
}
