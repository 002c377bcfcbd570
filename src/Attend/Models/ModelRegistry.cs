// Every architecture a model directory can hold, and the one way to save and load one. ModelDirectory (Serialization)
// reads and writes the files; the registry picks the kind by config.json's "architecture" (or by the model's class
// when saving) and checks that a directory holds the kind the caller needs, naming the kinds that would do.
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Serialization;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>A loaded model, its tokenizer (when the directory has one) and its config.json.</summary>
public sealed record LoadedModel<T>(T Model, ITokenizer? Tokenizer, ModelHeader Header, ModelKind Kind) where T : Module;

/// <summary>The architectures, and saving and loading model directories.</summary>
public static class ModelRegistry
{
    /// <summary>Every architecture, in the order errors list them.</summary>
    public static IReadOnlyList<ModelKind> Kinds { get; } =
        [Seq2SeqTransformer.Kind, RnnSeq2Seq.Kind, DecoderLm.Kind, TextClassifier.Kind, Tagger.Kind, Forecaster.Kind, BertModel.Kind, BertClassifier.Kind];

    /// <summary>The kind named <paramref name="name"/> in config.json, or null.</summary>
    public static ModelKind? Named(string name) => Kinds.FirstOrDefault(k => k.Name == name);

    /// <summary>The kind of <paramref name="model"/>.</summary>
    public static ModelKind Of(Module model) =>
        Kinds.FirstOrDefault(k => k.ModelType.IsInstanceOfType(model)) ?? throw new NotSupportedException($"no model directory format for {model.GetType().Name}");

    /// <summary>The kinds that serve <paramref name="use"/>.</summary>
    public static IEnumerable<ModelKind> Serving(ModelUse use) => Kinds.Where(k => k.Uses.Contains(use));

    /// <summary>Writes <paramref name="model"/>'s directory, with its tokenizer and the sections its kind declares.</summary>
    public static void Save(string dir, Module model, ITokenizer? tokenizer = null, IReadOnlyDictionary<string, JsonObject>? sections = null)
    {
        var kind = Of(model);
        var missing = kind.Sections.Where(s => sections?.ContainsKey(s) != true).ToList();
        if (missing.Count > 0 || sections?.Keys.Except([.. kind.Sections, .. kind.OptionalSections]).Any() == true)
            throw new ArgumentException($"a {kind.Name} directory holds the sections {string.Join(", ", kind.Sections.DefaultIfEmpty("(none)"))}" +
                (kind.OptionalSections.Count > 0 ? $" and may hold {string.Join(", ", kind.OptionalSections)}" : ""));
        ModelDirectory.Save(dir, model, kind.Name, kind.ConfigOf(model), tokenizer, sections);
    }

    /// <summary>
    /// Loads the model in <paramref name="dir"/>, which must be a <typeparamref name="T"/>; a directory of another kind
    /// is a format error naming the kinds that would do. The tokenizer, when present, is checked against the model.
    /// </summary>
    public static LoadedModel<T> Load<T>(string dir) where T : Module
    {
        var header = ModelDirectory.ReadHeader(dir);
        var fitting = Kinds.Where(k => typeof(T).IsAssignableFrom(k.ModelType)).ToList();
        var kind = Named(header.Architecture);
        if (kind is null || !fitting.Contains(kind))
        {
            string what = kind is null ? $"unknown \"{header.Architecture}\"" : $"\"{kind.Name}\" is a model to {string.Join(" and ", kind.Uses.Select(u => Text.SnakeCaseEnums.Name(u)))}";
            throw new DataFormatException(header.Path, 0, $"field 'architecture': {what}; expected {string.Join(" or ", fitting.Select(k => $"\"{k.Name}\""))}");
        }
        Text.JsonStrict.OnlyFields(header.Root, header.Path, ["format", "version", "architecture", "config", .. kind.Sections, .. kind.OptionalSections]);
        foreach (var section in kind.Sections) header.Section(section);
        var model = (T)kind.Load(header, dir);
        var tokenizer = kind.VocabularyOf(model) is int vocabulary ? ModelDirectory.LoadTokenizer(dir, vocabulary) : null;
        return new LoadedModel<T>(model, tokenizer, header, kind);
    }
}
