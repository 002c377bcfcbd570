// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer (batch_first) with PyTorch's parameter names, post-norm as
// in the paper (norm_first = false) or pre-norm (norm_first = true); in the pre-norm decoder the memory itself is not
// normalised by the layer. Dropout after attention and feed-forward as in PyTorch.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Shared sizes and switches of Transformer layers.</summary>
public sealed record TransformerLayerOptions(int DModel, int NumHeads, int DimFeedforward, float Dropout = 0.1f,
    Activation Activation = Activation.Relu, float LayerNormEps = 1e-5f, bool NormFirst = false);

/// <summary>Self-attention and feed-forward with residual connections. x: (B, T, d) → (B, T, d).</summary>
public sealed class TransformerEncoderLayer : Module
{
    public TransformerEncoderLayer(TransformerLayerOptions o, Rng rng)
    {
        Options = o;
        SelfAttn = Child("self_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.Dropout));
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
    public Tensor Forward(Tensor src, Mask? keyPadding = null, Mask? mask = null)
    {
        var x = src;
        if (Options.NormFirst)
        {
            x = Ops.Add(x, SelfAttention(Norm1.Forward(x), keyPadding, mask));
            return Ops.Add(x, FeedForward(Norm2.Forward(x)));
        }
        x = Norm1.Forward(Ops.Add(x, SelfAttention(x, keyPadding, mask)));
        return Norm2.Forward(Ops.Add(x, FeedForward(x)));
    }

    private Tensor SelfAttention(Tensor x, Mask? keyPadding, Mask? mask) =>
        Dropout1.Forward(SelfAttn.Forward(x, x, x, keyPadding, mask, needWeights: false).Output);

    private Tensor FeedForward(Tensor x) =>
        Dropout2.Forward(Linear2.Forward(Dropout.Forward(TransformerActivation.Apply(Options.Activation, Linear1.Forward(x)))));
}

/// <summary>Masked self-attention, cross-attention over memory, feed-forward. x: (B, T, d) → (B, T, d).</summary>
public sealed class TransformerDecoderLayer : Module
{
    public TransformerDecoderLayer(TransformerLayerOptions o, Rng rng)
    {
        Options = o;
        SelfAttn = Child("self_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.Dropout));
        CrossAttn = Child("multihead_attn", new MultiheadAttention(o.DModel, o.NumHeads, rng, o.Dropout));
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
    public Tensor Forward(Tensor tgt, Tensor memory, Mask? tgtMask = null, Mask? tgtKeyPadding = null, Mask? memoryKeyPadding = null)
    {
        var x = tgt;
        if (Options.NormFirst)
        {
            x = Ops.Add(x, SelfAttention(Norm1.Forward(x), tgtMask, tgtKeyPadding));
            x = Ops.Add(x, CrossAttention(Norm2.Forward(x), memory, memoryKeyPadding));
            return Ops.Add(x, FeedForward(Norm3.Forward(x)));
        }
        x = Norm1.Forward(Ops.Add(x, SelfAttention(x, tgtMask, tgtKeyPadding)));
        x = Norm2.Forward(Ops.Add(x, CrossAttention(x, memory, memoryKeyPadding)));
        return Norm3.Forward(Ops.Add(x, FeedForward(x)));
    }

    private Tensor SelfAttention(Tensor x, Mask? mask, Mask? keyPadding) =>
        Dropout1.Forward(SelfAttn.Forward(x, x, x, keyPadding, mask, needWeights: false).Output);

    private Tensor CrossAttention(Tensor x, Tensor memory, Mask? keyPadding) =>
        Dropout2.Forward(CrossAttn.Forward(x, memory, memory, keyPadding, null, needWeights: false).Output);

    private Tensor FeedForward(Tensor x) =>
        Dropout3.Forward(Linear2.Forward(Dropout.Forward(TransformerActivation.Apply(Options.Activation, Linear1.Forward(x)))));
}

internal static class TransformerActivation
{
    public static Tensor Apply(Activation a, Tensor x) => a == Activation.Relu ? Ops.Relu(x) : Ops.Gelu(x);
}
