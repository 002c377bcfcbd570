// The one key/value cache of incremental decoding, for the seq2seq Transformer's decoder (KvCacheDecoder) and the
// decoder-only language model (LmKvCache). Each layer keeps one buffer laid out (rows, H, capacity, D) and the new
// positions' keys and values are written into it in place; attention reads the first Length positions of every head
// where they lie (Ops.CachedAttention: a strided batched product, no copy), so a new token costs O(t) and nothing is
// copied per token. The capacity starts at the caller's hint, but at most InitialCapacity positions, and doubles when
// outgrown (an amortised copy, O(1) per token), so memory follows the length actually decoded (at most twice it), not
// the limit a caller allows (a wide batched beam with max_length 256 must not reserve 256 positions for every row).
// Beam search reorders hypotheses with an index gather of the rows it keeps.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Keys and values of the positions fed so far, per layer, for <see cref="Rows"/> sequences.</summary>
public sealed class KvCache
{
    // per layer: keys and values laid out (rows, H, capacity, D) at the start of each array (which may be longer), and a
    // spare pair that a reorder gathers into before the two swap
    private readonly float[][] _keys, _values, _spareKeys, _spareValues;
    private readonly int _heads, _headDim;
    private int _capacity;

    /// <param name="layers">Layers with self-attention.</param>
    /// <param name="rows">Sequences (hypotheses) decoded together.</param>
    /// <param name="capacity">Positions expected (room for at most <see cref="InitialCapacity"/> of them is made at first; the buffers double when outgrown).</param>
    public KvCache(int layers, int rows, int heads, int headDim, int capacity)
    {
        if (layers < 1 || rows < 1 || heads < 1 || headDim < 1) throw new ArgumentException("a cache needs at least one layer, row, head and feature");
        (Rows, _heads, _headDim, _capacity) = (rows, heads, headDim, Math.Clamp(capacity, 1, InitialCapacity));
        _keys = Fill(layers, Size(rows, _capacity));
        _values = Fill(layers, Size(rows, _capacity));
        (_spareKeys, _spareValues) = (Fill(layers, 0), Fill(layers, 0));
    }

    /// <summary>The most positions a new cache makes room for before it has to grow.</summary>
    public const int InitialCapacity = 16;

    /// <summary>Positions cached so far (the same in every layer once a step is done).</summary>
    public int Length { get; private set; }

    /// <summary>Sequences in the cache.</summary>
    public int Rows { get; private set; }

    /// <summary>Positions the buffers hold before they grow.</summary>
    public int Capacity => _capacity;

    /// <summary>
    /// Writes layer <paramref name="layer"/>'s keys and values of <c>t</c> new positions, (rows, H, t, D) each, after
    /// the cached ones, and returns the context of <paramref name="queries"/> (rows, H, t, D) over all of them:
    /// softmax(q·kᵀ/√D, <paramref name="mask"/>)·v, (rows, H, t, D). Call <see cref="Advance"/> once every layer has.
    /// </summary>
    public Tensor Attend(int layer, Tensor queries, Tensor keys, Tensor values, Mask? mask = null)
    {
        int t = keys.Shape[2];
        Check(queries);
        Check(keys);
        Check(values);
        if (Length + t > _capacity) Grow(Math.Max(2 * _capacity, Length + t));
        Write(_keys[layer], keys, t);
        Write(_values[layer], values, t);
        return Ops.CachedAttention(queries, _keys[layer], _values[layer], _capacity, Length + t, mask);
    }

    /// <summary>
    /// Copies a step's logits (rows, …, V) into a buffer the cache owns and reuses (never from the recycling pool, which
    /// takes a step's tensors back when it ends) and returns it as (rows, V): valid until the next call.
    /// </summary>
    public Tensor Keep(Tensor logits)
    {
        if (_logits is null || _logits.Size != logits.Size) _logits = new Tensor(new float[logits.Size], new Shape(Rows, logits.Size / Rows));
        logits.Data.AsSpan().CopyTo(_logits.Data);
        return _logits;
    }

    private Tensor? _logits;

    /// <summary>Counts the <paramref name="positions"/> just written into every layer.</summary>
    public void Advance(int positions) => Length += positions;

    /// <summary>Keeps rows <paramref name="parents"/> (indices into the current ones, repeats allowed), in that order: an index gather.</summary>
    public void Reorder(int[] parents)
    {
        foreach (int p in parents)
            if (p < 0 || p >= Rows) throw new ArgumentOutOfRangeException(nameof(parents), $"row {p} is not in [0, {Rows})");
        long size = Size(parents.Length, _capacity), head = (long)_capacity * _headDim, used = (long)Length * _headDim;
        for (int i = 0; i < _keys.Length; i++)
        {
            foreach (var (from, spare) in new[] { (_keys, _spareKeys), (_values, _spareValues) })
            {
                if (spare[i].Length < size) spare[i] = GC.AllocateUninitializedArray<float>((int)size);
                for (int r = 0; r < parents.Length; r++)
                    for (int h = 0; h < _heads; h++)
                        Array.Copy(from[i], (parents[r] * _heads + h) * head, spare[i], (r * _heads + h) * head, used);
                (from[i], spare[i]) = (spare[i], from[i]);
            }
        }
        Rows = parents.Length;
    }

    /// <summary>Forgets every cached position (the buffers stay).</summary>
    public void Clear() => Length = 0;

    private long Size(int rows, int capacity) => (long)rows * _heads * capacity * _headDim;

    private static float[][] Fill(int layers, long size) => Enumerable.Range(0, layers).Select(_ => new float[size]).ToArray();

    private void Check(Tensor fresh)
    {
        if (fresh.Rank != 4 || fresh.Shape[0] != Rows || fresh.Shape[1] != _heads || fresh.Shape[3] != _headDim)
            throw new ArgumentException($"cache entries must be ({Rows}, {_heads}, t, {_headDim}), got {fresh.Shape}");
    }

    // copies the t new positions of every (row, head) to Length.. of the buffer
    private void Write(float[] buffer, Tensor fresh, int t)
    {
        long d = _headDim, cap = _capacity;
        for (int rh = 0; rh < Rows * _heads; rh++)
            Array.Copy(fresh.Data, rh * t * d, buffer, (rh * cap + Length) * d, t * d);
    }

    // every layer's buffers to `capacity` positions, keeping the cached ones
    private void Grow(int capacity)
    {
        long oldHead = (long)_capacity * _headDim, newHead = (long)capacity * _headDim, used = (long)Length * _headDim;
        foreach (var buffers in new[] { _keys, _values })
        {
            for (int i = 0; i < buffers.Length; i++)
            {
                var grown = new float[Size(Rows, capacity)];
                for (int rh = 0; rh < Rows * _heads; rh++) Array.Copy(buffers[i], rh * oldHead, grown, rh * newHead, used);
                buffers[i] = grown;
            }
        }
        _capacity = capacity;
    }
}
