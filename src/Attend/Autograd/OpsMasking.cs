// Masked fill and where (torch.masked_fill / torch.where) with the mask broadcast to the data's shape.
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>x with <paramref name="value"/> wherever the (broadcast) mask is true; no gradient flows there.</summary>
    public static Tensor MaskedFill(Tensor x, Mask mask, float value)
    {
        // a mask over trailing dimensions (the causal (T, T) mask of (B, H, T, T) scores) repeats with period mask.Size
        bool[] flags = mask.Shape.IsTrailingOf(x.Shape) ? mask.Data : Expand(mask, x.Shape);
        int period = flags.Length;
        var y = Uninitialized(x.Shape);
        if (period > 0)
        {
            for (int o = 0; o < x.Size; o += period)
            {
                var xs = x.Data.AsSpan(o, period);
                var ys = y.Data.AsSpan(o, period);
                for (int i = 0; i < period; i++) ys[i] = flags[i] ? value : xs[i];
            }
        }
        return Record(y, [x], () =>
        {
            var dx = x.GradForOverwrite(out bool accumulate);
            for (int o = 0; o < dx.Length; o += period)
            {
                var gs = y.Grad.AsSpan(o, period);
                var ds = dx.AsSpan(o, period);
                for (int i = 0; i < period; i++) ds[i] = (accumulate ? ds[i] : 0f) + (flags[i] ? 0f : gs[i]);
            }
        });
    }

    /// <summary>cond ? a : b elementwise; a, b the same shape, cond broadcast to it.</summary>
    public static Tensor Where(Mask cond, Tensor a, Tensor b)
    {
        Require(a.Shape == b.Shape, $"where: operand shapes differ: {a.Shape} vs {b.Shape}");
        var flags = Expand(cond, a.Shape);
        var y = Uninitialized(a.Shape);
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
