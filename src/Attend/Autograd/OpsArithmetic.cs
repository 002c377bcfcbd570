// Elementwise arithmetic with broadcasting (torch.add/sub/mul/div semantics) and scalar forms.
using Attend.Kernels.Simd;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>a + b, broadcast.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryForward<AddOperator>(a, b);
        return Record(y, [a, b], () =>
        {
            if (a.RequiresGrad) Broadcasting.SumTo(y.Grad, y.Shape, a.GradBuffer(), a.Shape);
            if (b.RequiresGrad) Broadcasting.SumTo(y.Grad, y.Shape, b.GradBuffer(), b.Shape);
        });
    }

    /// <summary>a − b, broadcast.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = BinaryForward<SubtractOperator>(a, b);
        return Record(y, [a, b], () =>
        {
            if (a.RequiresGrad) Broadcasting.SumTo(y.Grad, y.Shape, a.GradBuffer(), a.Shape);
            if (b.RequiresGrad)
            {
                var neg = TensorMemory.Uninitialized(y.Size);
                Elementwise.BinaryScalar<MultiplyOperator>(y.Grad, -1f, neg);
                Broadcasting.SumTo(neg, y.Shape, b.GradBuffer(), b.Shape);
            }
        });
    }

    /// <summary>a ⊙ b, broadcast.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = BinaryForward<MultiplyOperator>(a, b);
        return Record(y, [a, b], () =>
        {
            if (a.RequiresGrad) GradThrough<MultiplyOperator>(y, b, a);
            if (b.RequiresGrad) GradThrough<MultiplyOperator>(y, a, b);
        });
    }

    /// <summary>a / b, broadcast.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = BinaryForward<DivideOperator>(a, b);
        return Record(y, [a, b], () =>
        {
            if (a.RequiresGrad) GradThrough<DivideOperator>(y, b, a);
            if (b.RequiresGrad)
            {
                // d(a/b)/db = −y/b
                var t = TensorMemory.Uninitialized(y.Size);
                Broadcasting.Apply<DivideOperator>(y.Data, y.Shape, b.Data, b.Shape, t, y.Shape);
                Elementwise.Binary<MultiplyOperator>(t, y.Grad, t);
                Elementwise.BinaryScalar<MultiplyOperator>(t, -1f, t);
                Broadcasting.SumTo(t, y.Shape, b.GradBuffer(), b.Shape);
            }
        });
    }

    /// <summary>x + s.</summary>
    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Uninitialized(x.Shape);
        Elementwise.BinaryScalar<AddOperator>(x.Data, s, y.Data);
        return Record(y, [x], () => Elementwise.Binary<AddOperator>(x.GradBuffer(), y.Grad, x.GradBuffer()));
    }

    /// <summary>x · s.</summary>
    public static Tensor MulScalar(Tensor x, float s)
    {
        var y = Uninitialized(x.Shape);
        Elementwise.BinaryScalar<MultiplyOperator>(x.Data, s, y.Data);
        return Record(y, [x], () => { var dx = x.GradForOverwrite(out bool acc); Elementwise.BinaryScalar<MultiplyOperator>(y.Grad, s, dx, acc); });
    }

    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => MulScalar(x, -1f);

    private static Tensor BinaryForward<TOp>(Tensor a, Tensor b) where TOp : struct, IBinaryOperator
    {
        var shape = Shape.Broadcast(a.Shape, b.Shape);
        var y = Uninitialized(shape);
        Broadcasting.Apply<TOp>(a.Data, a.Shape, b.Data, b.Shape, y.Data, shape);
        return y;
    }

    /// <summary>target.grad += SumTo(TOp(y.grad, other)) for products and quotients.</summary>
    private static void GradThrough<TOp>(Tensor y, Tensor other, Tensor target) where TOp : struct, IBinaryOperator
    {
        var t = TensorMemory.Uninitialized(y.Size);
        Broadcasting.Apply<TOp>(y.Grad!, y.Shape, other.Data, other.Shape, t, y.Shape);
        Broadcasting.SumTo(t, y.Shape, target.GradBuffer(), target.Shape);
    }
}
