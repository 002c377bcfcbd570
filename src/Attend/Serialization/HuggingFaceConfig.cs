// Typed reads of a Hugging Face config.json's keys, each error naming the file and the key: shared by the GPT-2 and
// Marian readers.
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Serialization;

/// <summary>Reading keys of a Hugging Face config.json.</summary>
public static class HuggingFaceConfig
{
    /// <summary>The model_type of a Hugging Face directory's config.json, or null (no config.json, or Attend's own format).</summary>
    public static string? ModelType(string dir)
    {
        string path = ModelDirectory.ConfigPath(dir);
        if (!File.Exists(path)) return null;
        var root = ModelDirectory.ReadJsonObject(path);
        return root["format"] is null && root["model_type"] is JsonValue v && v.TryGetValue(out string? type) ? type : null;
    }

    /// <summary>An integer key (null when absent or JSON null).</summary>
    public static int? Int(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        _ => Refuse<int?>(path, key, "expected an integer or null"),
    };

    /// <summary>A number key (null when absent).</summary>
    public static double? Number(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out double d) => d,
        _ => Refuse<double?>(path, key, "expected a number"),
    };

    /// <summary>A true/false key (null when absent).</summary>
    public static bool? Bool(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => Refuse<bool?>(path, key, "expected true or false"),
    };

    /// <summary>A string key (null when absent).</summary>
    public static string? String(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => Refuse<string?>(path, key, "expected a string"),
    };

    /// <summary>Throws the format error that names <paramref name="key"/>.</summary>
    public static void Refuse(string path, string key, string message) => throw new DataFormatException(path, 0, $"field '{key}': {message}");

    /// <summary>Throws the format error that names <paramref name="key"/> (typed, for switch arms).</summary>
    public static T Refuse<T>(string path, string key, string message) => throw new DataFormatException(path, 0, $"field '{key}': {message}");
}
