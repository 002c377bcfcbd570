// A decoder-only (GPT-style) language model, as nanoGPT's model.py builds it: token embedding + positions (learned, as
// GPT-2, or sinusoidal), dropout, L pre-norm blocks x = x + attn(ln1(x)); x = x + mlp(ln2(x)) with causal
// self-attention and a GELU feed-forward, a final LayerNorm and an output head tied to the token embedding.
// Initialisation follows GPT-2: N(0, 0.02) for embeddings and weights, zero biases, and the residual projections
// (attention out_proj, linear2) scaled by 1/√(2L). The blocks are nn.TransformerEncoderLayer(norm_first=True), so the
// state dict uses PyTorch's names (layers.0.self_attn.in_proj_weight, …).
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Hyperparameters of <see cref="DecoderLm"/> (nanoGPT's GPTConfig), with config.json key names.</summary>
public sealed record DecoderLmConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    /// <summary>Longest context the model attends over (nanoGPT block_size).</summary>
    [JsonPropertyName("context")] public int Context { get; init; } = 256;
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 384;
    [JsonPropertyName("nhead")] public int NumHeads { get; init; } = 6;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 6;
    /// <summary>Feed-forward width (0 = 4 · d_model).</summary>
    [JsonPropertyName("dim_feedforward")] public int DimFeedforward { get; init; }
    [JsonPropertyName("dropout")] public float Dropout { get; init; } = 0.2f;
    /// <summary>Learned (GPT-2) or sinusoidal (Vaswani et al.).</summary>
    [JsonPropertyName("positions")] public PositionKind Positions { get; init; } = PositionKind.Learned;
    [JsonPropertyName("layer_norm_eps")] public float LayerNormEps { get; init; } = 1e-5f;
    /// <summary>The feed-forward activation: exact GELU (nanoGPT, GPT-2's "gelu") or its tanh form (GPT-2's "gelu_new").</summary>
    [JsonPropertyName("activation")] public Activation Activation { get; init; } = Activation.Gelu;

    /// <summary>The feed-forward width in use.</summary>
    [JsonIgnore] public int FeedforwardWidth => DimFeedforward > 0 ? DimFeedforward : 4 * DModel;

    /// <summary>The first problem with these sizes, or null.</summary>
    public string? Problem() =>
        VocabSize <= 0 ? "vocab_size must be positive"
        : Context < 1 ? $"context must be at least 1, got {Context}"
        : DModel <= 0 || NumHeads <= 0 || DModel % NumHeads != 0 ? $"d_model ({DModel}) must be a positive multiple of nhead ({NumHeads})"
        : NumLayers < 1 ? $"num_layers must be at least 1, got {NumLayers}"
        : DimFeedforward < 0 ? $"dim_feedforward must not be negative, got {DimFeedforward}"
        : Dropout is < 0 or >= 1 ? $"dropout must be in [0, 1), got {Dropout}"
        : Positions == PositionKind.Sinusoidal && DModel % 2 != 0 ? $"sinusoidal positions need an even d_model, got {DModel}"
        : null;
}

/// <summary>Decoder-only Transformer language model. ids (B, T) → next-token logits (B, T, V).</summary>
public sealed class DecoderLm : Module
{
    /// <summary>The "decoder-lm" model directory: generates; tokenizer.json optional.</summary>
    public static ModelKind<DecoderLm, DecoderLmConfig> Kind { get; } = new("decoder-lm", [ModelUse.Generate],
        c => new DecoderLm(c, new Rng(0)), m => m.Config, c => c.Problem(), c => c.VocabSize);

    public DecoderLm(DecoderLmConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("model config: " + problem);
        Config = config;
        var options = new TransformerLayerOptions(config.DModel, config.NumHeads, config.FeedforwardWidth, config.Dropout,
            config.Activation, config.LayerNormEps, NormFirst: true);
        TokenEmbedding = Child("tok_emb", new Embedding(config.VocabSize, config.DModel, rng));
        Positions = Child("pos_emb", new PositionalEncoding(config.Context, config.DModel, config.Positions == PositionKind.Learned, rng));
        Drop = Child("drop", new Dropout(config.Dropout, rng.Fork()));
        var list = Child("layers", new ModuleList());
        Layers = Enumerable.Range(0, config.NumLayers).Select(_ => list.Add(new TransformerEncoderLayer(options, rng))).ToArray();
        Norm = Child("norm", new LayerNorm(config.DModel, config.LayerNormEps));
        Head = new Linear(TokenEmbedding.Weight, null); // tied: registered once, as tok_emb.weight
        InitialiseAsGpt2(rng);
    }

    public DecoderLmConfig Config { get; }
    public Embedding TokenEmbedding { get; }
    public PositionalEncoding Positions { get; }
    public TransformerEncoderLayer[] Layers { get; }
    public LayerNorm Norm { get; }

    /// <summary>The output projection (V, C), tied to <see cref="TokenEmbedding"/>.</summary>
    public Linear Head { get; }

    private Dropout Drop { get; }

    /// <summary>ids (B, T) with positions from <paramref name="offset"/> → dropout(tok_emb + pos) (B, T, C).</summary>
    public Tensor Embed(int[] ids, int batch, int length, int offset = 0)
    {
        if (offset + length > Config.Context) throw new ArgumentException($"{offset + length} positions exceed the model's context of {Config.Context}");
        return Drop.Forward(Positions.Forward(TokenEmbedding.Forward(ids, batch, length), offset));
    }

    /// <summary>ids (B, T), T ≤ context → logits (B, T, V); position t sees tokens 0..t only.</summary>
    public Tensor Forward(int[] ids, int batch, int length)
    {
        var x = Embed(ids, batch, length);          // (B, T, C)
        var causal = Mask.Causal(length);           // (T, T)
        foreach (var layer in Layers) x = layer.Forward(x, mask: causal);
        return Head.Forward(Norm.Forward(x));       // (B, T, V)
    }

    /// <summary>Final norm and head over hidden states (B, T, C) → logits (B, T, V).</summary>
    public Tensor Logits(Tensor hidden) => Head.Forward(Norm.Forward(hidden));

    /// <summary>The parameters AdamW should decay: matrices (weights, embeddings), not biases or norms (nanoGPT's groups).</summary>
    public IReadOnlyList<bool> DecayMask() => Parameters().Select(p => p.Shape.Rank >= 2).ToList();

    private void InitialiseAsGpt2(Rng rng)
    {
        if (Tensor.SkippingRandomInit) return;                     // every weight is about to be read from a file
        float residualStd = 0.02f / MathF.Sqrt(2 * Config.NumLayers);
        foreach (var (name, p) in NamedParameters())
        {
            var data = p.Data.AsSpan();
            if (p.Shape.Rank == 1)
            {
                if (!name.Contains("norm", StringComparison.Ordinal)) data.Clear(); // biases; LayerNorm keeps ones/zeros
                continue;
            }
            float std = name.EndsWith("out_proj.weight", StringComparison.Ordinal) || name.EndsWith("linear2.weight", StringComparison.Ordinal) ? residualStd : 0.02f;
            for (int i = 0; i < data.Length; i++) data[i] = std * rng.Normal();
        }
    }
}
