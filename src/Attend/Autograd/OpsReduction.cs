// Reductions over one axis (sum, mean, max) and over everything, with keepDim as in torch.sum(dim, keepdim).
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>Σ over <paramref name="axis"/>. x: (..., A, ...) → (..., [1,] ...).</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => SumScaled(x, axis, keepDim, 1f);

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false)
    {
        int len = x.Shape[axis];
        return SumScaled(x, axis, keepDim, len == 0 ? float.NaN : 1f / len);
    }

    /// <summary>Σ of every element → scalar.</summary>
    public static Tensor SumAll(Tensor x)
    {
        double total = 0;
        foreach (float v in x.Data) total += v;
        var y = Tensor.Scalar((float)total);
        return Record(y, [x], () =>
        {
            float g = y.Grad![0];
            var dx = x.GradBuffer();
            Kernels.Simd.Elementwise.BinaryScalar<Kernels.Simd.AddOperator>(dx, g, dx);
        });
    }

    /// <summary>Mean of every element → scalar.</summary>
    public static Tensor MeanAll(Tensor x) => MulScalar(SumAll(x), 1f / x.Size);

    /// <summary>Max over <paramref name="axis"/>; the gradient goes to the first maximal element (torch.max(dim) values).</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        int ax = x.Shape.Axis(axis);
        int outer = x.Shape.Outer(ax), len = x.Shape[ax], inner = x.Shape.Inner(ax);
        Require(len > 0, $"max over an empty axis {axis} of {x.Shape}");
        var y = Zeroed(ReducedShape(x.Shape, ax, keepDim));
        var arg = new int[y.Size];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bv = x.Data[o * len * inner + i];
                for (int a = 1; a < len; a++)
                {
                    float v = x.Data[(o * len + a) * inner + i];
                    if (v > bv || float.IsNaN(v) && !float.IsNaN(bv)) (bv, best) = (v, a);
                }
                y.Data[o * inner + i] = bv;
                arg[o * inner + i] = best;
            }
        }
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    dx[(o * len + arg[o * inner + i]) * inner + i] += y.Grad![o * inner + i];
        });
    }

    private static Tensor SumScaled(Tensor x, int axis, bool keepDim, float scale)
    {
        int ax = x.Shape.Axis(axis);
        int outer = x.Shape.Outer(ax), len = x.Shape[ax], inner = x.Shape.Inner(ax);
        var y = Zeroed(ReducedShape(x.Shape, ax, keepDim));
        for (int o = 0; o < outer; o++)
        {
            var dst = y.Data.AsSpan(o * inner, inner);
            for (int a = 0; a < len; a++)
            {
                var src = x.Data.AsSpan((o * len + a) * inner, inner);
                for (int i = 0; i < inner; i++) dst[i] += src[i];
            }
            if (scale != 1f) for (int i = 0; i < inner; i++) dst[i] *= scale;
        }
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var g = y.Grad.AsSpan(o * inner, inner);
                for (int a = 0; a < len; a++) Accumulate(dx.AsSpan((o * len + a) * inner, inner), g, scale);
            }
        });
    }

    private static Shape ReducedShape(Shape s, int axis, bool keepDim)
    {
        var dims = s.ToArray().ToList();
        if (keepDim) dims[axis] = 1;
        else dims.RemoveAt(axis);
        return new Shape(dims.ToArray());
    }
}
