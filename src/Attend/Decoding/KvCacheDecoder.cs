// Incremental decoding for the seq2seq Transformer: each step feeds only the newest token per hypothesis. Decoder
// self-attention writes that token's keys and values into the KvCache, in place; cross-attention keys and values of
// the memory are computed once. Hypotheses can be reordered (beam search) by gathering cache rows. Produces the same
// logits as running the decoder over the whole prefix (tested).
using Attend.Models;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Step-by-step decoder state for <c>n</c> hypotheses.</summary>
public sealed class KvCacheDecoder : IncrementalDecoder
{
    private readonly Seq2SeqTransformer _model;
    private readonly KvCache _self;
    private readonly Tensor[] _crossK, _crossV;                  // per layer: (n, H, S, hd)
    private Mask? _memoryPad;                                    // (n, 1, 1, S)
    private int _n;

    /// <summary>
    /// Prepares cross-attention keys and values. memory: (n, S, d); memoryPad: (n, S) or null; <paramref name="capacity"/>:
    /// the output length to make room for at first (the cache grows past it when needed).
    /// </summary>
    public KvCacheDecoder(Seq2SeqTransformer model, Tensor memory, Mask? memoryPad, int capacity = 64)
    {
        _model = model;
        var layers = model.Transformer.Decoder.Layers;
        int l = layers.Length;
        (_crossK, _crossV) = (new Tensor[l], new Tensor[l]);
        _n = memory.Shape[0];
        int heads = model.Config.NumHeads;
        _self = new KvCache(l, _n, heads, model.Config.DModel / heads, Math.Min(capacity, model.Config.MaxPositions));
        int s = memory.Shape[1];
        using var _ = GradMode.Off();
        for (int i = 0; i < l; i++)
        {
            var mha = layers[i].CrossAttn;
            var (_, k, v) = mha.Project(memory, memory, memory);
            _crossK[i] = mha.Heads(k, _n, s);
            _crossV[i] = mha.Heads(v, _n, s);
        }
        _memoryPad = memoryPad is null ? null : new Mask(memoryPad.Data, new Shape(_n, 1, 1, s));
    }

    /// <summary>Tokens consumed so far.</summary>
    public int Length => _self.Length;

    /// <summary>Feeds one token per hypothesis (at position <see cref="Length"/>) and returns next-token logits (n, V).</summary>
    /// <remarks>
    /// The step's intermediate tensors come from the recycling pool and go back to it when the step ends (nothing of a
    /// step outlives it but the cache, which copies what it keeps); the logits are copied into a buffer this decoder
    /// reuses, so they stay valid until the next <see cref="Step"/>.
    /// </remarks>
    public override Tensor Step(int[] tokens)
    {
        if (tokens.Length != _n) throw new ArgumentException($"expected {_n} tokens, got {tokens.Length}");
        using var _ = GradMode.Off();
        using var recycle = TensorMemory.Recycle();
        var x = _model.Embed(tokens, _n, 1, Length); // (n, 1, d)
        var layers = _model.Transformer.Decoder.Layers;
        for (int i = 0; i < layers.Length; i++) x = LayerStep(layers[i], i, x);
        _self.Advance(1);
        return _self.Keep(_model.Generator.Forward(_model.Transformer.Decoder.Norm?.Forward(x) ?? x)); // (n, V)
    }

    /// <summary>Keeps hypotheses <paramref name="parents"/> (indices into the current ones, repeats allowed), in that order.</summary>
    public override void Reorder(int[] parents)
    {
        using var _ = GradMode.Off();
        _self.Reorder(parents);
        for (int i = 0; i < _crossK.Length; i++) (_crossK[i], _crossV[i]) = (Ops.IndexSelect(_crossK[i], 0, parents), Ops.IndexSelect(_crossV[i], 0, parents));
        _memoryPad = _memoryPad?.Rows(parents);
        _n = parents.Length;
    }

    private Tensor LayerStep(TransformerDecoderLayer layer, int i, Tensor x) =>
        layer.Compose(x, h => SelfAttention(layer.SelfAttn, i, h), h => CrossAttention(layer.CrossAttn, i, h));

    // the new position's keys and values join the cache; its query attends to every cached position (no mask needed)
    private Tensor SelfAttention(MultiheadAttention mha, int i, Tensor x)
    {
        var (q, k, v) = mha.Project(x, x, x);
        var context = _self.Attend(i, mha.Heads(q, _n, 1), mha.Heads(k, _n, 1), mha.Heads(v, _n, 1));
        return mha.OutProj.Forward(mha.MergeHeads(context, _n, 1));
    }

    private Tensor CrossAttention(MultiheadAttention mha, int i, Tensor x)
    {
        var r = Attention.ScaledDotProduct(mha.Heads(mha.ProjectQuery(x), _n, 1), _crossK[i], _crossV[i], _memoryPad);
        return mha.OutProj.Forward(mha.MergeHeads(r.Context, _n, 1));
    }
}
