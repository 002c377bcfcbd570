// torch.nn.MultiheadAttention (batch_first, packed in-projection): Q, K, V = x·W_{q,k,v}ᵀ + b from one (3E, E)
// weight, H heads of width E/H attend independently with scaled dot products, their outputs are concatenated (head 0
// first) and projected by out_proj. Returns the output and the weights averaged over heads or per head.
// An optional head width D ≠ E/H (Keras MultiHeadAttention's key_dim) makes the projections (3·H·D, E) and (E, H·D);
// PyTorch's module has no such option, so only models that ask for it differ from its shapes.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Output of multi-head attention: (B, Tq, E), and weights (B, Tq, Tk) averaged or (B, H, Tq, Tk) per head.</summary>
public readonly record struct MultiheadResult(Tensor Output, Tensor? Weights);

/// <summary>Multi-head attention with PyTorch's parameter names.</summary>
public sealed class MultiheadAttention : Module
{
    /// <param name="headDim">Width of each head (0 = E/H, as PyTorch).</param>
    public MultiheadAttention(int embedDim, int numHeads, Rng rng, float dropout = 0f, int headDim = 0)
    {
        if (headDim == 0 && embedDim % numHeads != 0) throw new ArgumentException($"embed_dim {embedDim} is not divisible by num_heads {numHeads}");
        if (headDim < 0) throw new ArgumentException($"head_dim must not be negative, got {headDim}");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        InnerDim = headDim == 0 ? embedDim : numHeads * headDim;
        float bound = MathF.Sqrt(6f / (embedDim + 3 * InnerDim)); // xavier_uniform_ on the (3E, E) weight, as PyTorch
        InProjWeight = Parameter("in_proj_weight", Tensor.Uniform(rng, -bound, bound, 3 * InnerDim, embedDim));
        InProjBias = Parameter("in_proj_bias", Tensor.Zeros(3 * InnerDim));
        OutProj = Child("out_proj", new Linear(InnerDim, embedDim, rng));
        OutProj.Bias!.Data.AsSpan().Clear();
        Drop = Child("dropout", new Dropout(dropout, rng.Fork())); // no parameters: the state dict is unchanged
    }

    public int EmbedDim { get; }
    public int NumHeads { get; }

    /// <summary>H · head width: E unless a head width was given.</summary>
    public int InnerDim { get; }
    public Tensor InProjWeight { get; }
    public Tensor InProjBias { get; }
    public Linear OutProj { get; }
    private Dropout Drop { get; }

    /// <summary>
    /// query: (B, Tq, E), key/value: (B, Tk, E); keyPadding: (B, Tk), attnMask: (Tq, Tk), true = masked.
    /// <paramref name="averageWeights"/> false returns per-head weights (B, H, Tq, Tk).
    /// </summary>
    public MultiheadResult Forward(Tensor query, Tensor key, Tensor value, Mask? keyPadding = null, Mask? attnMask = null,
        bool needWeights = true, bool averageWeights = true)
    {
        int b = query.Shape[0], tq = query.Shape[1], tk = key.Shape[1];
        var (q, k, v) = Project(query, key, value);
        var mask = Attention.Combine(keyPadding, attnMask, b, tq, tk);
        if (mask is not null && mask.Shape.Rank == 3) mask = new Mask(mask.Data, new Shape(b, 1, tq, tk));
        var r = Attention.ScaledDotProduct(Heads(q, b, tq), Heads(k, b, tk), Heads(v, b, tk), mask, Drop); // (B, H, Tq, hd)
        var output = OutProj.Forward(MergeHeads(r.Context, b, tq));
        Tensor? weights = !needWeights ? null : averageWeights ? Ops.Mean(r.Weights, 1) : r.Weights;
        return new MultiheadResult(output, weights);
    }

    /// <summary>Q, K, V projections; one GEMM when query, key and value are the same tensor.</summary>
    public (Tensor Q, Tensor K, Tensor V) Project(Tensor query, Tensor key, Tensor value)
    {
        int e = InnerDim;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            var qkv = Ops.Add(Ops.MatMul(query, InProjWeight, transposeB: true), InProjBias); // (B, T, 3E)
            var parts = Ops.Split(qkv, -1, e, e, e);
            return (parts[0], parts[1], parts[2]);
        }
        var w = Ops.Split(InProjWeight, 0, e, e, e);
        var bias = Ops.Split(InProjBias, 0, e, e, e);
        var q = ProjectQuery(query);
        if (ReferenceEquals(key, value))
        {
            var kv = Ops.Add(Ops.MatMul(key, Ops.Concat([w[1], w[2]], 0), transposeB: true), Ops.Concat([bias[1], bias[2]], 0)); // (B, Tk, 2E)
            var parts = Ops.Split(kv, -1, e, e);
            return (q, parts[0], parts[1]);
        }
        return (q, Ops.Add(Ops.MatMul(key, w[1], transposeB: true), bias[1]), Ops.Add(Ops.MatMul(value, w[2], transposeB: true), bias[2]));
    }

    /// <summary>Q = query·W_qᵀ + b_q alone. query: (B, T, E) → (B, T, H·D).</summary>
    public Tensor ProjectQuery(Tensor query) =>
        Ops.Add(Ops.MatMul(query, Ops.Slice(InProjWeight, 0, 0, InnerDim), transposeB: true), Ops.Slice(InProjBias, 0, 0, InnerDim));

    /// <summary>(B, H, T, D) → (B, T, H·D), head 0 first; a single position needs no transpose.</summary>
    public Tensor MergeHeads(Tensor x, int b, int t) =>
        t == 1 ? Ops.Reshape(x, b, 1, InnerDim) : Ops.Reshape(Ops.Permute(x, 0, 2, 1, 3), b, t, InnerDim);

    /// <summary>(B, T, H·D) → (B, H, T, D).</summary>
    public Tensor Heads(Tensor x, int b, int t) => Ops.Permute(Ops.Reshape(x, b, t, NumHeads, InnerDim / NumHeads), 0, 2, 1, 3);
}
