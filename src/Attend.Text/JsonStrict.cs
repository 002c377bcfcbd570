// Strict reading of the JSON files Attend writes and users edit (run configs, model config.json, tokenizer.json): a
// key given twice is an error rather than "the last one wins", and a key we do not know is an error rather than
// silently ignored, since both usually mean a typo that would otherwise change nothing without a word.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Text.Corpora;

namespace Attend.Text;

/// <summary>Options and checks for strict JSON files.</summary>
public static class JsonStrict
{
    /// <summary>Parse options that refuse duplicate keys.</summary>
    public static readonly JsonDocumentOptions Document = new() { AllowDuplicateProperties = false };

    /// <summary>Throws a <see cref="DataFormatException"/> naming the first key of <paramref name="obj"/> not in <paramref name="allowed"/>.</summary>
    public static void OnlyFields(JsonObject obj, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, _) in obj)
            if (!allowed.Contains(key))
                throw new DataFormatException(path, 0, $"unknown field '{key}' (expected {string.Join(", ", allowed)})");
    }
}
