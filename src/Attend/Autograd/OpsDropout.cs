// Inverted dropout (F.dropout), after embeddings and sublayers: in training each element is zeroed with probability p
// and the rest scaled by 1/(1−p), so evaluation needs no rescaling; the mask comes from the caller's Rng.
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
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
