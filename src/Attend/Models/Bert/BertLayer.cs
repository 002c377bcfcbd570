// One BERT encoder layer with Hugging Face's parameter names (post-norm, as the original Transformer):
//   a = LayerNorm(x + dropout(dense(attention(x))))          attention.self.{query,key,value}, attention.output.*
//   y = LayerNorm(a + dropout(dense(act(dense(a)))))          intermediate.dense, output.dense, output.LayerNorm
// Attention: H heads of width D = hidden/H, scores q·kᵀ/√D, padded keys masked, dropout on the weights.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>x: (B, T, C) → (B, T, C).</summary>
public sealed class BertLayer : Module
{
    public BertLayer(BertConfig c, Rng rng)
    {
        Config = c;
        int h = c.HiddenSize;
        Query = Child("attention.self.query", BertInit.Linear(h, h, rng));
        Key = Child("attention.self.key", BertInit.Linear(h, h, rng));
        Value = Child("attention.self.value", BertInit.Linear(h, h, rng));
        AttentionOutput = Child("attention.output.dense", BertInit.Linear(h, h, rng));
        AttentionNorm = Child("attention.output.LayerNorm", new LayerNorm(h, c.LayerNormEps));
        Intermediate = Child("intermediate.dense", BertInit.Linear(h, c.IntermediateSize, rng));
        Output = Child("output.dense", BertInit.Linear(c.IntermediateSize, h, rng));
        OutputNorm = Child("output.LayerNorm", new LayerNorm(h, c.LayerNormEps));
        AttentionDrop = Child("attention.self.dropout", new Dropout(c.AttentionDropout, rng.Fork()));
        HiddenDrop = Child("dropout", new Dropout(c.HiddenDropout, rng.Fork()));
    }

    public BertConfig Config { get; }
    public Linear Query { get; }
    public Linear Key { get; }
    public Linear Value { get; }
    public Linear AttentionOutput { get; }
    public LayerNorm AttentionNorm { get; }
    public Linear Intermediate { get; }
    public Linear Output { get; }
    public LayerNorm OutputNorm { get; }
    private Dropout AttentionDrop { get; }
    private Dropout HiddenDrop { get; }

    /// <summary>
    /// x: (B, T, C); keyPadding: (B, H, T, T), true at padded keys, or null → (B, T, C). In evaluation without
    /// gradients the heads are attended where the projections wrote them (<see cref="Ops.SideBySideHeadsAttention"/>).
    /// </summary>
    public Tensor Forward(Tensor x, Mask? keyPadding)
    {
        var context = GradMode.IsEnabled || Training ? SelfAttention(x, keyPadding)
            : Ops.SideBySideHeadsAttention(Query.Forward(x), Key.Forward(x), Value.Forward(x), Config.NumHeads, keyPadding);   // (B, T, C)
        var a = AttentionNorm.Forward(x, HiddenDrop.Forward(AttentionOutput.Forward(context)));
        var inner = Intermediate.Forward(a, BertInit.Fused(Config.Activation));                        // (B, T, I)
        return OutputNorm.Forward(a, HiddenDrop.Forward(Output.Forward(inner)));
    }

    // heads split by permutes, attention with dropout on the weights, heads joined: (B, T, C) → (B, T, C)
    private Tensor SelfAttention(Tensor x, Mask? keyPadding)
    {
        int b = x.Shape[0], t = x.Shape[1], heads = Config.NumHeads, d = Config.HeadDim;
        Tensor Heads(Tensor y) => Ops.Permute(Ops.Reshape(y, b, t, heads, d), 0, 2, 1, 3);          // (B, H, T, D)
        var r = Attention.ScaledDotProduct(Heads(Query.Forward(x)), Heads(Key.Forward(x)), Heads(Value.Forward(x)), keyPadding, AttentionDrop);
        return Ops.Reshape(Ops.Permute(r.Context, 0, 2, 1, 3), b, t, heads * d);                    // (B, T, C)
    }
}
