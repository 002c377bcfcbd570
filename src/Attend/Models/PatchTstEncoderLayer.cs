// PatchTST's own encoder layer (TSTEncoderLayer in its code), post-norm:
//   scores_l = q·kᵀ/√d_h (+ scores_{l−1} with residual attention, Liu et al.'s RealFormer), a = softmax(scores_l)·v,
//   x = norm1(x + dropout(dropout(out_proj(a)))) (its attention block and the layer each drop out, so twice), x = norm2(x + dropout(linear2(dropout(gelu(linear1(x)))))),
// where each norm is batch norm over the d features of all tokens (PatchTST's choice) or layer norm. The pre-softmax
// scores go on to the next layer.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>One PatchTST encoder layer. x: (B, N, d) → (B, N, d), with the attention scores (B, H, N, N).</summary>
public sealed class PatchTstEncoderLayer : Module
{
    public PatchTstEncoderLayer(int dModel, int numHeads, int dimFeedforward, float dropout, float attentionDropout,
        bool batchNorm, bool residualAttention, Rng rng)
    {
        ResidualAttention = residualAttention;
        SelfAttn = Child("self_attn", new MultiheadAttention(dModel, numHeads, rng, attentionDropout));
        Linear1 = Child("linear1", new Linear(dModel, dimFeedforward, rng));
        Linear2 = Child("linear2", new Linear(dimFeedforward, dModel, rng));
        (Norm1, _norm1) = Norm("norm1", dModel, batchNorm);
        (Norm2, _norm2) = Norm("norm2", dModel, batchNorm);
        AttentionDrop = Child("attn_dropout", new Dropout(attentionDropout, rng.Fork()));
        ProjectionDrop = Child("proj_dropout", new Dropout(dropout, rng.Fork()));
        Dropout = Child("dropout", new Dropout(dropout, rng.Fork()));
        Dropout1 = Child("dropout1", new Dropout(dropout, rng.Fork()));
        Dropout2 = Child("dropout2", new Dropout(dropout, rng.Fork()));
    }

    public bool ResidualAttention { get; }
    public MultiheadAttention SelfAttn { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    /// <summary>BatchNorm or LayerNorm.</summary>
    public Module Norm1 { get; }
    public Module Norm2 { get; }
    private readonly Func<Tensor, Tensor> _norm1, _norm2;
    private Dropout AttentionDrop { get; }
    private Dropout ProjectionDrop { get; }
    private Dropout Dropout { get; }
    private Dropout Dropout1 { get; }
    private Dropout Dropout2 { get; }

    /// <summary>x: (B, N, d); previous: the scores of the layer before (B, H, N, N) or null → (output, scores).</summary>
    public (Tensor Output, Tensor Scores) Forward(Tensor x, Tensor? previous)
    {
        int b = x.Shape[0], n = x.Shape[1];
        var attn = SelfAttn;
        var (q, k, v) = attn.Project(x, x, x);
        // the 1/√d_h scale goes on q (N·d values per sequence) rather than on the scores (H·N·N): the same product, a
        // pass over the largest tensor fewer each way
        q = Ops.MulScalar(q, 1f / MathF.Sqrt(attn.InnerDim / attn.NumHeads));
        var scores = Ops.MatMul(attn.Heads(q, b, n), attn.Heads(k, b, n), transposeB: true);             // (B, H, N, N)
        if (ResidualAttention && previous is not null) scores = Ops.Add(scores, previous);
        var heads = Attention.Apply(scores, attn.Heads(v, b, n), mask: null, AttentionDrop).Context;      // (B, H, N, hd)
        var context = attn.OutProj.Forward(attn.MergeHeads(heads, b, n));                                // (B, N, d)
        x = _norm1(Ops.Add(x, Dropout1.Forward(ProjectionDrop.Forward(context))));
        var ff = FeedForward.Apply(Linear1, Linear2, Activation.Gelu, Dropout, x);
        return (_norm2(Ops.Add(x, Dropout2.Forward(ff))), scores);
    }

    private (Module Module, Func<Tensor, Tensor> Apply) Norm(string name, int d, bool batchNorm)
    {
        if (batchNorm)
        {
            var batch = Child(name, new BatchNorm(d));
            return (batch, batch.Forward);
        }
        var layer = Child(name, new LayerNorm(d));
        return (layer, layer.Forward);
    }
}
