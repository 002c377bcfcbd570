// Masked fill and where (torch.masked_fill / torch.where) with the mask broadcast to the data's shape.
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>x with <paramref name="value"/> wherever the (broadcast) mask is true; no gradient flows there.</summary>
    public static Tensor MaskedFill(Tensor x, Mask mask, float value)
    {
        var flags = Expand(mask, x.Shape);
        var y = Empty(x.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = flags[i] ? value : x.Data[i];
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int i = 0; i < dx.Length; i++) if (!flags[i]) dx[i] += y.Grad![i];
        });
    }

    /// <summary>cond ? a : b elementwise; a, b the same shape, cond broadcast to it.</summary>
    public static Tensor Where(Mask cond, Tensor a, Tensor b)
    {
        Require(a.Shape == b.Shape, $"where: operand shapes differ: {a.Shape} vs {b.Shape}");
        var flags = Expand(cond, a.Shape);
        var y = Empty(a.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = flags[i] ? a.Data[i] : b.Data[i];
        return Record(y, [a, b], () =>
        {
            var g = y.Grad!;
            if (a.RequiresGrad) { var da = a.GradBuffer(); for (int i = 0; i < g.Length; i++) if (flags[i]) da[i] += g[i]; }
            if (b.RequiresGrad) { var db = b.GradBuffer(); for (int i = 0; i < g.Length; i++) if (!flags[i]) db[i] += g[i]; }
        });
    }

    /// <summary>The mask's flags broadcast to <paramref name="shape"/>.</summary>
    private static bool[] Expand(Mask mask, Shape shape)
    {
        if (mask.Shape == shape) return mask.Data;
        Require(Shape.Broadcast(mask.Shape, shape) == shape, $"mask shape {mask.Shape} does not broadcast to {shape}");
        var map = Broadcasting.Map(mask.Shape, shape);
        var flags = new bool[shape.Size];
        for (int i = 0; i < flags.Length; i++) flags[i] = mask.Data[map[i]];
        return flags;
    }
}
