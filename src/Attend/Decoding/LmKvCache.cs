// Incremental evaluation of a decoder-only language model: the KvCache keeps every layer's keys and values of the
// positions fed so far; new tokens (a prompt at once, or one per step) attend to the cache plus themselves, causally.
// Gives the same logits as a full forward over the whole prefix (tested), in O(t) per new token instead of O(t²).
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Key/value caches of a <see cref="DecoderLm"/> for <c>n</c> sequences.</summary>
public sealed class LmKvCache
{
    private readonly DecoderLm _model;
    private readonly KvCache _cache;
    private readonly int _n;

    /// <summary>A cache for <paramref name="sequences"/> sequences, with room for <paramref name="capacity"/> positions at first (at most the context).</summary>
    public LmKvCache(DecoderLm model, int sequences, int capacity = 64)
    {
        if (sequences < 1) throw new ArgumentException($"need at least one sequence, got {sequences}");
        _model = model;
        _n = sequences;
        var c = model.Config;
        _cache = new KvCache(model.Layers.Length, sequences, c.NumHeads, c.DModel / c.NumHeads, Math.Min(capacity, c.Context));
    }

    /// <summary>Positions cached so far.</summary>
    public int Length => _cache.Length;

    /// <summary>Room left before the model's context is full.</summary>
    public int Remaining => _model.Config.Context - Length;

    /// <summary>
    /// Feeds <paramref name="length"/> tokens per sequence (ids (n, length), positions Length..Length+length−1) and
    /// returns the logits of the last one, (n, V).
    /// </summary>
    /// <remarks>
    /// The intermediate tensors come from the recycling pool and go back to it on return (the cache copies what it
    /// keeps); the logits are copied into a buffer this cache reuses, valid until the next <see cref="Feed"/>.
    /// </remarks>
    public Tensor Feed(int[] ids, int length)
    {
        if (length < 1 || ids.Length != _n * length) throw new ArgumentException($"expected {_n} × {length} ids, got {ids.Length}");
        if (length > Remaining) throw new ArgumentException($"{Length} cached + {length} new positions exceed the context of {_model.Config.Context}");
        using var _ = GradMode.Off();
        using var recycle = TensorMemory.Recycle();
        var x = _model.Embed(ids, _n, length, Length);                                           // (n, t, C)
        var mask = length == 1 ? null : NewPositionsMask(length, Length + length);             // (t, Length + t)
        for (int i = 0; i < _model.Layers.Length; i++)
        {
            int layer = i;
            x = _model.Layers[i].Compose(x, h => SelfAttention(layer, h, length, mask));
        }
        _cache.Advance(length);
        var last = length == 1 ? x : Ops.Slice(x, 1, length - 1, 1);                              // (n, 1, C)
        return _cache.Keep(_model.Logits(last));                                                 // (n, V)
    }

    /// <summary>Forgets every cached position.</summary>
    public void Clear() => _cache.Clear();

    private Tensor SelfAttention(int layer, Tensor x, int length, Mask? mask)
    {
        var mha = _model.Layers[layer].SelfAttn;
        var (q, k, v) = mha.Project(x, x, x);                                                    // (n, t, C) each
        var context = _cache.Attend(layer, mha.Heads(q, _n, length), mha.Heads(k, _n, length), mha.Heads(v, _n, length), mask); // (n, H, t, D)
        return mha.OutProj.Forward(mha.MergeHeads(context, _n, length));                          // (n, t, C)
    }

    // new query i (absolute position total − t + i) may see keys 0..total − t + i
    private static Mask NewPositionsMask(int t, int total)
    {
        var data = new bool[t * total];
        for (int i = 0; i < t; i++)
            for (int j = total - t + i + 1; j < total; j++) data[i * total + j] = true;
        return new Mask(data, new Shape(t, total));
    }
}
