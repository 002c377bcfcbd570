// What the registry knows of one architecture: the name config.json gives it, its config record, how a model is built
// from that config, what a model directory of it holds besides the weights (a tokenizer, extra sections), and which
// verbs it serves. Each model declares its kind beside its class (e.g. Seq2SeqTransformer.Kind); ModelRegistry lists
// them, and the pretrained checkpoints (Hugging Face model types) join the same way.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Serialization;

namespace Attend.Models;

/// <summary>What a model is for: the verbs (and, later, the server's endpoints) it serves.</summary>
public enum ModelUse
{
    Translate,
    Generate,
    Classify,
    Tag,
    Forecast,
    Embed,
}

/// <summary>One architecture a model directory can hold.</summary>
public abstract class ModelKind
{
    private protected ModelKind(string name, Type modelType, IReadOnlyList<ModelUse> uses, IReadOnlyList<string> sections, IReadOnlyList<string> optionalSections, bool weightsOptional)
    {
        Name = name;
        ModelType = modelType;
        Uses = uses;
        Sections = sections;
        OptionalSections = optionalSections;
        WeightsOptional = weightsOptional;
    }

    /// <summary>The "architecture" of config.json, e.g. "transformer-seq2seq".</summary>
    public string Name { get; }

    /// <summary>The class its models are (or derive from).</summary>
    public Type ModelType { get; }

    /// <summary>The verbs it serves.</summary>
    public IReadOnlyList<ModelUse> Uses { get; }

    /// <summary>Objects config.json holds beside "config" (a forecaster's "series", a classifier's "text").</summary>
    public IReadOnlyList<string> Sections { get; }

    /// <summary>Objects config.json may hold beside "config" (a fine-tuned BERT classifier's "text"; Hugging Face's have none).</summary>
    public IReadOnlyList<string> OptionalSections { get; }

    /// <summary>Whether a model without parameters may be saved without model.safetensors (the naive forecasters).</summary>
    public bool WeightsOptional { get; }

    /// <summary>The model's hyperparameters as config.json stores them.</summary>
    public abstract JsonNode ConfigOf(Module model);

    /// <summary>Parses and checks the header's config, builds the model inside the memory its weights justify and loads them.</summary>
    public abstract Module Load(ModelHeader header, string dir);

    /// <summary>The vocabulary size a tokenizer.json beside the model must have, or null when the kind reads no tokens.</summary>
    public abstract int? VocabularyOf(Module model);
}

/// <summary>An architecture whose models are <typeparamref name="TModel"/>, configured by <typeparamref name="TConfig"/>.</summary>
public sealed class ModelKind<TModel, TConfig> : ModelKind where TModel : Module where TConfig : class
{
    private readonly Func<TConfig, TModel> _create;
    private readonly Func<TModel, TConfig> _configOf;
    private readonly Func<TConfig, string?> _problem;
    private readonly Func<TConfig, int?> _vocabulary;

    /// <param name="create">Builds an untrained model from a checked config (the weights are loaded after).</param>
    /// <param name="configOf">The config a model was built with.</param>
    /// <param name="problem">The config's first problem, or null.</param>
    /// <param name="vocabulary">The vocabulary size its tokenizer must have, or null when it reads no tokens.</param>
    /// <param name="sections">Objects config.json must hold beside "config".</param>
    /// <param name="weightsOptional">Whether a model without parameters may be saved without weights.</param>
    /// <param name="optionalSections">Objects config.json may hold beside "config".</param>
    public ModelKind(string name, ModelUse[] uses, Func<TConfig, TModel> create, Func<TModel, TConfig> configOf, Func<TConfig, string?> problem,
        Func<TConfig, int?> vocabulary, string[]? sections = null, bool weightsOptional = false, string[]? optionalSections = null)
        : base(name, typeof(TModel), uses, sections ?? [], optionalSections ?? [], weightsOptional)
    {
        _create = create;
        _configOf = configOf;
        _problem = problem;
        _vocabulary = vocabulary;
    }

    /// <inheritdoc/>
    public override JsonNode ConfigOf(Module model) => JsonSerializer.SerializeToNode(_configOf((TModel)model), ModelDirectory.ConfigJson)!;

    /// <inheritdoc/>
    public override Module Load(ModelHeader header, string dir)
    {
        var config = ModelDirectory.ParseConfig(header.Config, header.Path, _problem);
        bool stored = File.Exists(ModelDirectory.WeightsPath(dir));
        var model = ModelDirectory.Build(dir, () => _create(config), hasWeights: stored || !WeightsOptional);
        if (!stored && model.Parameters().Count > 0) throw Text.Corpora.MissingFile.Error(ModelDirectory.WeightsPath(dir));
        return model;
    }

    /// <inheritdoc/>
    public override int? VocabularyOf(Module model) => _vocabulary(_configOf((TModel)model));
}
