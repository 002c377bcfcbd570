// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer (batch_first) with PyTorch's parameter names, post-norm as
// in the paper (norm_first = false) or pre-norm (norm_first = true); in the pre-norm decoder the memory itself is not
// normalised by the layer. Dropout after attention and feed-forward as in PyTorch.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Shared sizes and switches of Transformer layers.</summary>
/// <param name="AttentionDropout">Dropout on the attention weights; null = <paramref name="Dropout"/>, as PyTorch's layers.</param>
/// <param name="HeadDim">Width of each attention head; 0 = DModel / NumHeads, as PyTorch's layers.</param>
public sealed record TransformerLayerOptions(int DModel, int NumHeads, int DimFeedforward, float Dropout = 0.1f,
    Activation Activation = Activation.Relu, float LayerNormEps = 1e-5f, bool NormFirst = false, float? AttentionDropout = null, int HeadDim = 0)
{
    /// <summary>The attention-weight dropout in use.</summary>
    public float AttentionDropoutRate => AttentionDropout ?? Dropout;
}

/// <summary>Self-attention and feed-forward with residual connections. x: (B, T, d) → (B, T, d).</summary>
public sealed class TransformerEncoderLayer : Module
{
    public TransformerEncoderLayer(TransformerLayerOptions o, Rng rng)
    {
        Options = o;
        SelfAttn = Child("self_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.AttentionDropoutRate, o.HeadDim));
        Linear1 = Child("linear1", new Linear(o.DModel, o.DimFeedforward, rng));
        Linear2 = Child("linear2", new Linear(o.DimFeedforward, o.DModel, rng));
        Norm1 = Child("norm1", new LayerNorm(o.DModel, o.LayerNormEps));
        Norm2 = Child("norm2", new LayerNorm(o.DModel, o.LayerNormEps));
        Dropout = Child("dropout", new Dropout(o.Dropout, rng.Fork()));
        Dropout1 = Child("dropout1", new Dropout(o.Dropout, rng.Fork()));
        Dropout2 = Child("dropout2", new Dropout(o.Dropout, rng.Fork()));
    }

    public TransformerLayerOptions Options { get; }
    public MultiheadAttention SelfAttn { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }
    private Dropout Dropout { get; }
    private Dropout Dropout1 { get; }
    private Dropout Dropout2 { get; }

    /// <summary>src: (B, T, d); keyPadding: (B, T); mask: (T, T); true = masked.</summary>
    public Tensor Forward(Tensor src, Mask? keyPadding = null, Mask? mask = null) =>
        Compose(src, x => SelfAttn.Forward(x, x, x, keyPadding, mask, needWeights: false).Output);

    /// <summary>
    /// The layer's residual and normalisation structure around a given self-attention function (post-norm or
    /// pre-norm); <see cref="Forward"/> passes full attention, the KV-cached language model attention over its cache.
    /// </summary>
    internal Tensor Compose(Tensor x, Func<Tensor, Tensor> selfAttention)
    {
        if (Options.NormFirst)
        {
            x = Ops.Add(x, Dropout1.Forward(selfAttention(Norm1.Forward(x))));
            return Ops.Add(x, FeedForward(Norm2.Forward(x)));
        }
        x = Norm1.Forward(Ops.Add(x, Dropout1.Forward(selfAttention(x))));
        return Norm2.Forward(Ops.Add(x, FeedForward(x)));
    }

    private Tensor FeedForward(Tensor x) => Dropout2.Forward(Nn.FeedForward.Apply(Linear1, Linear2, Options.Activation, Dropout, x));
}

/// <summary>Masked self-attention, cross-attention over memory, feed-forward. x: (B, T, d) → (B, T, d).</summary>
public sealed class TransformerDecoderLayer : Module
{
    public TransformerDecoderLayer(TransformerLayerOptions o, Rng rng)
    {
        Options = o;
        SelfAttn = Child("self_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.AttentionDropoutRate));
        CrossAttn = Child("multihead_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.AttentionDropoutRate));
        Linear1 = Child("linear1", new Linear(o.DModel, o.DimFeedforward, rng));
        Linear2 = Child("linear2", new Linear(o.DimFeedforward, o.DModel, rng));
        Norm1 = Child("norm1", new LayerNorm(o.DModel, o.LayerNormEps));
        Norm2 = Child("norm2", new LayerNorm(o.DModel, o.LayerNormEps));
        Norm3 = Child("norm3", new LayerNorm(o.DModel, o.LayerNormEps));
        Dropout = Child("dropout", new Dropout(o.Dropout, rng.Fork()));
        Dropout1 = Child("dropout1", new Dropout(o.Dropout, rng.Fork()));
        Dropout2 = Child("dropout2", new Dropout(o.Dropout, rng.Fork()));
        Dropout3 = Child("dropout3", new Dropout(o.Dropout, rng.Fork()));
    }

    public TransformerLayerOptions Options { get; }
    public MultiheadAttention SelfAttn { get; }
    public MultiheadAttention CrossAttn { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }
    public LayerNorm Norm3 { get; }
    private Dropout Dropout { get; }
    private Dropout Dropout1 { get; }
    private Dropout Dropout2 { get; }
    private Dropout Dropout3 { get; }

    /// <summary>
    /// tgt: (B, T, d), memory: (B, S, d); tgtMask: (T, T); tgtKeyPadding: (B, T); memoryKeyPadding: (B, S).
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Mask? tgtMask = null, Mask? tgtKeyPadding = null, Mask? memoryKeyPadding = null) =>
        Compose(tgt,
            x => SelfAttn.Forward(x, x, x, tgtKeyPadding, tgtMask, needWeights: false).Output,
            x => CrossAttn.Forward(x, memory, memory, memoryKeyPadding, null, needWeights: false).Output);

    /// <summary>
    /// The layer's residual and normalisation structure around given attention functions (post-norm or pre-norm);
    /// <see cref="Forward"/> passes full attention, the KV-cached decoder passes attention over its caches.
    /// </summary>
    internal Tensor Compose(Tensor x, Func<Tensor, Tensor> selfAttention, Func<Tensor, Tensor> crossAttention)
    {
        if (Options.NormFirst)
        {
            x = Ops.Add(x, Dropout1.Forward(selfAttention(Norm1.Forward(x))));
            x = Ops.Add(x, Dropout2.Forward(crossAttention(Norm2.Forward(x))));
            return Ops.Add(x, FeedForward(Norm3.Forward(x)));
        }
        x = Norm1.Forward(Ops.Add(x, Dropout1.Forward(selfAttention(x))));
        x = Norm2.Forward(Ops.Add(x, Dropout2.Forward(crossAttention(x))));
        return Norm3.Forward(Ops.Add(x, FeedForward(x)));
    }

    private Tensor FeedForward(Tensor x) => Dropout3.Forward(Nn.FeedForward.Apply(Linear1, Linear2, Options.Activation, Dropout, x));
}
