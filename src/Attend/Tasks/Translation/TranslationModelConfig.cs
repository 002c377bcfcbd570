// The "model" section of a translation run config: "architecture" ("transformer" by default, or "rnn"), then the keys
// of that architecture's own model config — Seq2SeqConfig (d_model, nhead, num_encoder_layers, …, max_positions) or
// RnnSeq2SeqConfig (cell, attention, embedding_dim, encoder_hidden, …) — over this task's defaults. The vocabulary
// size and the special ids come from the tokenizer, so those keys are refused. Keys of the other architecture are
// ignored, so `--set model.architecture=rnn` works on a Transformer's config; a key of neither is refused.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Translation;

/// <summary>The translation models (configs: "transformer", "rnn").</summary>
[JsonConverter(typeof(SnakeCaseEnums))]
public enum TranslationArchitecture
{
    /// <summary>The encoder-decoder Transformer (Vaswani et al. 2017; post-norm as in the paper, or pre-norm).</summary>
    Transformer,

    /// <summary>A bidirectional GRU/LSTM encoder and an attentional decoder (Bahdanau or Luong).</summary>
    Rnn,
}

/// <summary>The model of a translation run: its architecture and that architecture's config.</summary>
[JsonConverter(typeof(TranslationModelConfigJson))]
public sealed record TranslationModelConfig
{
    /// <summary>This task's Transformer when the section leaves keys out: d256, 4 heads, 3 + 3 layers, 256 positions.</summary>
    public static readonly Seq2SeqConfig TransformerDefaults = new()
    {
        DModel = 256, NumHeads = 4, EncoderLayers = 3, DecoderLayers = 3, DimFeedforward = 1024, Dropout = 0.1f, MaxPositions = 256,
    };

    /// <summary>This task's RNN when the section leaves keys out (RnnSeq2SeqConfig's sizes, dropout 0.1).</summary>
    public static readonly RnnSeq2SeqConfig RnnDefaults = new() { Dropout = 0.1f };

    public TranslationArchitecture Architecture { get; init; }

    /// <summary>The Transformer's config (used when <see cref="Architecture"/> is Transformer); vocabulary and ids are filled by <see cref="Create"/>.</summary>
    public Seq2SeqConfig Transformer { get; init; } = TransformerDefaults;

    /// <summary>The RNN's config (used when <see cref="Architecture"/> is Rnn).</summary>
    public RnnSeq2SeqConfig Rnn { get; init; } = RnnDefaults;

    /// <summary>The longest output the decoder can produce (the Transformer's positions; an RNN has no limit).</summary>
    public int MaxTargetLength => Architecture == TranslationArchitecture.Transformer ? Transformer.MaxPositions : int.MaxValue;

    /// <summary>The longest source the encoder takes (the Transformer's positions; an RNN with location attention its max_source_length).</summary>
    public int MaxSourceLength =>
        Architecture == TranslationArchitecture.Transformer ? Transformer.MaxPositions : Rnn.Attention == RnnAttention.Location ? Rnn.MaxSourceLength : int.MaxValue;

    /// <summary>The width the noam schedule scales by: d_model, or the RNN decoder's hidden size.</summary>
    public int Width => Architecture == TranslationArchitecture.Transformer ? Transformer.DModel : Rnn.DecoderHidden;

    /// <summary>The first problem of the chosen config (checked with a placeholder vocabulary), naming its key, or null.</summary>
    public string? Problem() =>
        (Architecture == TranslationArchitecture.Rnn ? WithVocabulary(Rnn, SpecialTokens.Names.Length + 1).Problem() : WithVocabulary(Transformer, SpecialTokens.Names.Length + 1).Problem()) is { } p
            ? "model: " + p : null;

    /// <summary>The model over a vocabulary of <paramref name="vocabSize"/> with the ids of <see cref="SpecialTokens"/>, inside the training memory budget.</summary>
    public Seq2SeqModel Create(int vocabSize, int seed)
    {
        var rng = new Rng((ulong)seed);
        if (Architecture == TranslationArchitecture.Rnn)
        {
            var rnn = WithVocabulary(Rnn, vocabSize);
            return rnn.Problem() is { } p ? throw Error(p) : TrainingBudget.Build(() => new RnnSeq2Seq(rnn, rng));
        }
        var transformer = WithVocabulary(Transformer, vocabSize);
        return transformer.Problem() is { } problem ? throw Error(problem) : TrainingBudget.Build(() => new Seq2SeqTransformer(transformer, rng));
    }

    private static Seq2SeqConfig WithVocabulary(Seq2SeqConfig c, int size) => c with { VocabSize = size, PadId = SpecialTokens.Pad, BosId = SpecialTokens.Bos, EosId = SpecialTokens.Eos };

    private static RnnSeq2SeqConfig WithVocabulary(RnnSeq2SeqConfig c, int size) => c with { VocabSize = size, PadId = SpecialTokens.Pad, BosId = SpecialTokens.Bos, EosId = SpecialTokens.Eos };

    private static Text.Corpora.DataFormatException Error(string p) => new("config", 0, "model: " + p);
}

/// <summary>Reads and writes the section flat: "architecture" beside the chosen config's keys.</summary>
internal sealed class TranslationModelConfigJson : JsonConverter<TranslationModelConfig>
{
    private static readonly string[] FromTokenizer = ["vocab_size", "pad_id", "bos_id", "eos_id"];

    public override TranslationModelConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject section) throw new JsonException("expected an object with \"architecture\" and the model's keys");
        TranslationArchitecture architecture;
        try
        {
            architecture = section["architecture"]?.Deserialize<TranslationArchitecture>(options) ?? TranslationArchitecture.Transformer;
        }
        catch (JsonException e)
        {
            throw new JsonException($"key 'architecture': {e.Message}");
        }
        section.Remove("architecture");
        if (FromTokenizer.FirstOrDefault(section.ContainsKey) is { } key) throw new JsonException($"key '{key}': set from the tokenizer; leave it out");
        var transformerKeys = JsonSerializer.SerializeToNode(TranslationModelConfig.TransformerDefaults, options)!.AsObject();
        var rnnKeys = JsonSerializer.SerializeToNode(TranslationModelConfig.RnnDefaults, options)!.AsObject();
        return architecture == TranslationArchitecture.Rnn
            ? new() { Architecture = architecture, Rnn = Over<RnnSeq2SeqConfig>(rnnKeys, transformerKeys, section, options) }
            : new() { Architecture = architecture, Transformer = Over<Seq2SeqConfig>(transformerKeys, rnnKeys, section, options) };
    }

    public override void Write(Utf8JsonWriter writer, TranslationModelConfig value, JsonSerializerOptions options)
    {
        var section = new JsonObject { ["architecture"] = JsonSerializer.SerializeToNode(value.Architecture, options) };
        var config = value.Architecture == TranslationArchitecture.Rnn ? JsonSerializer.SerializeToNode(value.Rnn, options) : JsonSerializer.SerializeToNode(value.Transformer, options);
        foreach (var (key, node) in config!.AsObject())
            if (!FromTokenizer.Contains(key)) section[key] = node?.DeepClone();
        section.WriteTo(writer, options);
    }

    // the section's keys laid over the chosen architecture's defaults; the other's keys are skipped, any other key refused
    private static T Over<T>(JsonObject merged, JsonObject other, JsonObject section, JsonSerializerOptions options)
    {
        foreach (var (key, node) in section)
        {
            if (merged.ContainsKey(key)) merged[key] = node?.DeepClone();
            else if (!other.ContainsKey(key)) throw new JsonException($"key '{key}': unknown key");
        }
        try
        {
            return merged.Deserialize<T>(options)!;
        }
        catch (JsonException e)
        {
            throw new JsonException($"key '{e.Path?.TrimStart('$', '.')}': {e.Message.Split(" Path:")[0]}");
        }
    }
}
