// Embedding lookup (F.embedding): rows of a (V, C) table gathered by integer ids; lookups of padding_idx give the
// stored row but send no gradient into it.
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
                Accumulate(dw.AsSpan(ids[i] * c, c), y.Grad.AsSpan(i * c, c));
            }
        });
    }
}
