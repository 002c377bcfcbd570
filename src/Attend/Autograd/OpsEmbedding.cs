// Embedding lookup (F.embedding): rows of a (V, C) table gathered by integer ids; lookups of padding_idx give the
// stored row but send no gradient into it. Also the inverted dropout that follows embeddings and sublayers.
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>weight: (V, C), ids: int[] with dims <paramref name="idsDims"/> → (idsDims..., C).</summary>
    public static Tensor Embedding(Tensor weight, int[] ids, int[] idsDims, int? paddingIdx = null)
    {
        Require(weight.Rank == 2, $"embedding table must be (V, C), got {weight.Shape}");
        int vocab = weight.Shape[0], c = weight.Shape[1];
        Require(new Shape(idsDims).Size == ids.Length, $"embedding: {ids.Length} ids do not fill dims ({string.Join(", ", idsDims)})");
        for (int i = 0; i < ids.Length; i++)
            Require(ids[i] >= 0 && ids[i] < vocab, $"embedding: id {ids[i]} at position {i} is outside the vocabulary [0, {vocab})");
        var y = Uninitialized(new Shape([.. idsDims, c]));
        for (int i = 0; i < ids.Length; i++) weight.Data.AsSpan(ids[i] * c, c).CopyTo(y.Data.AsSpan(i * c));
        return Record(y, [weight], () =>
        {
            var dw = weight.GradBuffer();
            for (int i = 0; i < ids.Length; i++)
            {
                if (ids[i] == paddingIdx) continue;
                var g = y.Grad.AsSpan(i * c, c);
                var d = dw.AsSpan(ids[i] * c, c);
                for (int j = 0; j < c; j++) d[j] += g[j];
            }
        });
    }

    /// <summary>Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1−p).</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training)
    {
        Require(p >= 0f && p <= 1f, $"dropout probability must be in [0, 1], got {p}");
        if (!training || p == 0f) return x;
        // the mask is drawn in chunks, each from its own generator seeded by (one draw of rng, chunk index), so it is
        // the same for any number of threads
        const int chunk = 16384;
        var scale = TensorMemory.Uninitialized(x.Size);
        var y = Uninitialized(x.Shape);
        float keep = p == 1f ? 0f : 1f / (1f - p);
        ulong seed = ((ulong)rng.NextUInt() << 32) | rng.NextUInt();
        uint threshold16 = p == 1f ? 65536u : (uint)Math.Round(p * 65536.0);
        int chunks = (x.Size + chunk - 1) / chunk;
        var xd = x.Data;
        var yd = y.Data;
        Kernels.Parallelism.For(chunks, chunk * 2L, (from, to) =>
        {
            Span<uint> draws = stackalloc uint[chunk / 2];
            for (int c = from; c < to; c++)
            {
                // 16 random bits per element (p is resolved to 1/65536): the low half of each draw for an even element,
                // the high half for the next one (the little-endian view of the draws as 16-bit values)
                var r = new Rng(Rng.Derive(seed, c));
                int start = c * chunk, end = Math.Min(xd.Length, start + chunk), n = end - start;
                for (int k = 0; k < (n + 1) / 2; k++) draws[k] = r.NextUInt();
                var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<uint, ushort>(draws)[..n];
                Kernels.Simd.DropoutMask.Fill(bits, threshold16, keep, scale.AsSpan(start, n));
                Kernels.Simd.Elementwise.Binary<Kernels.Simd.MultiplyOperator>(xd.AsSpan(start, end - start), scale.AsSpan(start, end - start), yd.AsSpan(start, end - start));
            }
        });
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            Kernels.Simd.Elementwise.Binary<Kernels.Simd.MultiplyOperator>(y.Grad!, scale, dx, accumulate: true);
        });
    }
}
