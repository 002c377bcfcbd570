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
        var scale = new float[x.Size];
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < scale.Length; i++) scale[i] = rng.NextFloat() < p ? 0f : keep;
        var y = Uninitialized(x.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = x.Data[i] * scale[i];
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int i = 0; i < dx.Length; i++) dx[i] += y.Grad![i] * scale[i];
        });
    }
}
