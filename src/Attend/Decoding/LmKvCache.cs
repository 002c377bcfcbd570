// Incremental evaluation of a decoder-only language model: every layer keeps the keys and values of the positions fed
// so far, (n, H, t, D); new tokens (a prompt at once, or one per step) attend to the cache plus themselves, causally.
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
    private readonly Tensor?[] _keys, _values; // per layer: (n, H, t, D)
    private readonly int _n;

    public LmKvCache(DecoderLm model, int sequences)
    {
        if (sequences < 1) throw new ArgumentException($"need at least one sequence, got {sequences}");
        _model = model;
        _n = sequences;
        _keys = new Tensor?[model.Layers.Length];
        _values = new Tensor?[model.Layers.Length];
    }

    /// <summary>Positions cached so far.</summary>
    public int Length { get; private set; }

    /// <summary>Room left before the model's context is full.</summary>
    public int Remaining => _model.Config.Context - Length;

    /// <summary>
    /// Feeds <paramref name="length"/> tokens per sequence (ids (n, length), positions Length..Length+length−1) and
    /// returns the logits of the last one, (n, V).
    /// </summary>
    public Tensor Feed(int[] ids, int length)
    {
        if (length < 1 || ids.Length != _n * length) throw new ArgumentException($"expected {_n} × {length} ids, got {ids.Length}");
        if (length > Remaining) throw new ArgumentException($"{Length} cached + {length} new positions exceed the context of {_model.Config.Context}");
        using var _ = GradMode.Off();
        var x = _model.Embed(ids, _n, length, Length);                                           // (n, t, C)
        var mask = length == 1 ? null : NewPositionsMask(length, Length + length);             // (t, Length + t)
        for (int i = 0; i < _model.Layers.Length; i++)
        {
            int layer = i;
            x = _model.Layers[i].Compose(x, h => SelfAttention(layer, h, length, mask));
        }
        Length += length;
        var last = length == 1 ? x : Ops.Slice(x, 1, length - 1, 1);                              // (n, 1, C)
        return Ops.Reshape(_model.Logits(last), _n, -1);                                         // (n, V)
    }

    /// <summary>Forgets every cached position.</summary>
    public void Clear()
    {
        Array.Clear(_keys);
        Array.Clear(_values);
        Length = 0;
    }

    private Tensor SelfAttention(int layer, Tensor x, int length, Mask? mask)
    {
        var mha = _model.Layers[layer].SelfAttn;
        var (q, k, v) = mha.Project(x, x, x);                                                    // (n, t, C) each
        var kh = mha.Heads(k, _n, length);                                                       // (n, H, t, D)
        var vh = mha.Heads(v, _n, length);
        _keys[layer] = _keys[layer] is { } keys ? Ops.Concat([keys, kh], 2) : kh;                // (n, H, Length + t, D)
        _values[layer] = _values[layer] is { } values ? Ops.Concat([values, vh], 2) : vh;
        var r = Attention.ScaledDotProduct(mha.Heads(q, _n, length), _keys[layer]!, _values[layer]!, mask);
        return mha.OutProj.Forward(mha.MergeHeads(r.Context, _n, length));                       // (n, t, C)
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
