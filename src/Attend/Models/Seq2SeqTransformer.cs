// The encoder-decoder Transformer of ../shared/golden/README.md §4.7: a shared embedding (padding_idx = pad) scaled by √d plus sinusoidal
// positions, nn.Transformer's encoder and decoder stacks with final norms, and a generator Linear whose weight is
// either its own or the embedding matrix itself (tied, unscaled). Source padding masks both the encoder's keys and
// the decoder's memory; target padding and the causal mask apply to decoder self-attention.
using Attend.Nn;
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Hyperparameters, with the key names of the golden files' config (and of config.json).</summary>
public sealed record Seq2SeqConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 512;
    [JsonPropertyName("nhead")] public int NumHeads { get; init; } = 8;
    [JsonPropertyName("num_encoder_layers")] public int EncoderLayers { get; init; } = 6;
    [JsonPropertyName("num_decoder_layers")] public int DecoderLayers { get; init; } = 6;
    [JsonPropertyName("dim_feedforward")] public int DimFeedforward { get; init; } = 2048;
    [JsonPropertyName("dropout")] public float Dropout { get; init; } = 0.1f;
    [JsonPropertyName("activation")] public Activation Activation { get; init; } = Activation.Relu;
    [JsonPropertyName("layer_norm_eps")] public float LayerNormEps { get; init; } = 1e-5f;
    [JsonPropertyName("norm_first")] public bool NormFirst { get; init; }
    [JsonPropertyName("tie_embeddings")] public bool TieEmbeddings { get; init; } = true;
    [JsonPropertyName("generator_bias")] public bool GeneratorBias { get; init; } = true;
    [JsonPropertyName("pad_id")] public int PadId { get; init; }
    [JsonPropertyName("bos_id")] public int BosId { get; init; } = 1;
    [JsonPropertyName("eos_id")] public int EosId { get; init; } = 2;
    [JsonPropertyName("max_positions")] public int MaxPositions { get; init; } = 1024;
    /// <summary>Whether token embeddings are multiplied by √d_model before the positions are added (Marian's scale_embedding).</summary>
    [JsonPropertyName("scale_embedding")] public bool ScaleEmbedding { get; init; } = true;
    /// <summary>Where the sinusoids' sines and cosines go (Marian: sines_then_cosines).</summary>
    [JsonPropertyName("positions_layout")] public SinusoidLayout PositionsLayout { get; init; } = SinusoidLayout.Interleaved;
    /// <summary>Whether the encoder and decoder stacks end with a LayerNorm (nn.Transformer: yes; Marian: no).</summary>
    [JsonPropertyName("final_norms")] public bool FinalNorms { get; init; } = true;

    /// <summary>Checks the sizes agree; returns the first problem or null.</summary>
    public string? Problem() =>
        VocabSize <= 0 ? "vocab_size must be positive"
        : DModel <= 0 || NumHeads <= 0 || DModel % NumHeads != 0 ? $"d_model ({DModel}) must be a positive multiple of nhead ({NumHeads})"
        : DModel % 2 != 0 ? $"d_model ({DModel}) must be even for sinusoidal positions"
        : EncoderLayers < 0 || DecoderLayers < 1 ? "need at least one decoder layer and no negative layer counts"
        : DimFeedforward <= 0 ? "dim_feedforward must be positive"
        : Dropout is < 0 or >= 1 ? $"dropout must be in [0, 1), got {Dropout}"
        : !(LayerNormEps > 0) || !float.IsFinite(LayerNormEps) ? $"layer_norm_eps must be a small positive number, got {LayerNormEps}"
        : MaxPositions < 2 ? $"max_positions must be at least 2, got {MaxPositions}"
        : new[] { PadId, BosId, EosId }.Any(id => id < 0 || id >= VocabSize) ? "pad_id, bos_id and eos_id must be inside the vocabulary"
        : null;
}

/// <summary>Encoder-decoder Transformer for translation.</summary>
public sealed class Seq2SeqTransformer : Seq2SeqModel
{
    /// <summary>The "transformer-seq2seq" model directory: translates; tokenizer.json optional.</summary>
    public static ModelKind<Seq2SeqTransformer, Seq2SeqConfig> Kind { get; } = new("transformer-seq2seq", [ModelUse.Translate],
        c => new Seq2SeqTransformer(c, new Rng(0)), m => m.Config, c => c.Problem(), c => c.VocabSize);

    private readonly Tensor _positions; // (max_positions, d)

    public Seq2SeqTransformer(Seq2SeqConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("model config: " + problem);
        Config = config;
        var options = new TransformerLayerOptions(config.DModel, config.NumHeads, config.DimFeedforward, config.Dropout,
            config.Activation, config.LayerNormEps, config.NormFirst);
        Embedding = Child("embedding", new Embedding(config.VocabSize, config.DModel, rng, config.PadId));
        Transformer = Child("transformer", new TransformerCore(options, config.EncoderLayers, config.DecoderLayers, rng, config.FinalNorms));
        float bound = 1f / MathF.Sqrt(config.DModel);
        // a tied embedding is also the output projection: N(0, d^-0.5) as fairseq initialises it, so that embedding·√d
        // has unit scale and the first logits are O(1) (PyTorch's N(0, 1) gives logits of ~√d and losses near 100)
        if (config.TieEmbeddings) foreach (ref float w in Embedding.Weight.Data.AsSpan()) w *= bound;
        var weight = config.TieEmbeddings ? Embedding.Weight : Tensor.Uniform(rng, -bound, bound, config.VocabSize, config.DModel);
        Generator = Child("generator", new Linear(weight, config.GeneratorBias ? Tensor.Uniform(rng, -bound, bound, config.VocabSize) : null));
        _positions = Sinusoidal.Table(config.MaxPositions, config.DModel, config.PositionsLayout);
        EmbedDropout = Child("dropout", new Dropout(config.Dropout, rng.Fork()));
    }

    public Seq2SeqConfig Config { get; }
    public override int VocabSize => Config.VocabSize;
    public override int PadId => Config.PadId;
    public override int BosId => Config.BosId;
    public override int EosId => Config.EosId;
    public override int MaxSourceLength => Config.MaxPositions;
    public override int MaxTargetLength => Config.MaxPositions;
    public Embedding Embedding { get; }
    public TransformerCore Transformer { get; }
    /// <summary>The output projection; its weight is <see cref="Embedding"/>'s when tied.</summary>
    public Linear Generator { get; }
    private Dropout EmbedDropout { get; }

    /// <summary>embedding·√d (or unscaled) + PE for ids (B, T), positions from <paramref name="offset"/> → (B, T, d).</summary>
    public Tensor Embed(int[] ids, int batch, int length, int offset = 0)
    {
        if (offset + length > _positions.Shape[0]) throw new ArgumentException($"sequence of {offset + length} tokens exceeds max_positions {_positions.Shape[0]}");
        var e = Embedding.Forward(ids, batch, length);
        if (Config.ScaleEmbedding) e = Ops.MulScalar(e, MathF.Sqrt(Config.DModel));
        return EmbedDropout.Forward(Ops.Add(e, Ops.Slice(_positions, 0, offset, length)));
    }

    /// <summary>src: (B, S) ids → memory (B, S, d).</summary>
    public Tensor Encode(int[] src, int batch, int length) =>
        Transformer.Encoder.Forward(Embed(src, batch, length), PaddingMask(src, batch, length));

    /// <summary>
    /// tgtIn: (B, T) ids, memory (B, S, d) with its padding mask → logits (B, T, V). Target padding is masked only when
    /// <paramref name="tgtPadding"/> is given (teacher forcing); decoding feeds real prefixes and passes none.
    /// </summary>
    public Tensor Decode(int[] tgtIn, int batch, int length, Tensor memory, Mask? memoryPadding, Mask? tgtPadding = null)
    {
        var y = Transformer.Decoder.Forward(Embed(tgtIn, batch, length), memory, Mask.Causal(length), tgtPadding, memoryPadding);
        return Generator.Forward(y);
    }

    /// <summary>Teacher-forced logits (B, T, V) for src (B, S) and tgtIn (B, T).</summary>
    public override Tensor Forward(int[] src, int srcLength, int[] tgtIn, int tgtLength, int batch)
    {
        var memory = Encode(src, batch, srcLength);
        return Decode(tgtIn, batch, tgtLength, memory, PaddingMask(src, batch, srcLength), PaddingMask(tgtIn, batch, tgtLength));
    }
}
