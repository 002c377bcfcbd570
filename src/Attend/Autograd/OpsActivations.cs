// Elementwise nonlinearities: exp, log, sqrt, abs, tanh, sigmoid, ReLU, GELU (erf or tanh form, as F.gelu), SiLU.
using Attend.Kernels.Simd;
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x) => UnaryOnOutput<ExpOperator, MultiplyOperator>(x);

    /// <summary>ln x.</summary>
    public static Tensor Log(Tensor x)
    {
        var y = Unary<LogOperator>(x);
        return Record(y, [x], () => { var dx = x.GradForOverwrite(out bool acc); Elementwise.Binary<DivideOperator>(y.Grad, x.Data, dx, acc); });
    }

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x) => UnaryOnOutput<SqrtOperator, SqrtGradOperator>(x);

    /// <summary>tanh x.</summary>
    public static Tensor Tanh(Tensor x) => UnaryOnOutput<TanhOperator, TanhGradOperator>(x);

    /// <summary>σ(x).</summary>
    public static Tensor Sigmoid(Tensor x) => UnaryOnOutput<SigmoidOperator, SigmoidGradOperator>(x);

    /// <summary>|x|.</summary>
    public static Tensor Abs(Tensor x) => UnaryOnInput<AbsOperator, AbsGradOperator>(x);

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => UnaryOnInput<ReluOperator, ReluGradOperator>(x);

    /// <summary>GELU: exact erf form by default, tanh approximation when <paramref name="tanhApproximation"/>.</summary>
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => tanhApproximation
        ? UnaryOnInput<GeluTanhOperator, GeluTanhGradOperator>(x)
        : UnaryOnInput<GeluErfOperator, GeluErfGradOperator>(x);

    /// <summary>SiLU (swish, F.silu): x·σ(x).</summary>
    public static Tensor Silu(Tensor x) => UnaryOnInput<SiluOperator, SiluGradOperator>(x);

    private static Tensor Unary<TOp>(Tensor x) where TOp : struct, IUnaryOperator
    {
        var y = Uninitialized(x.Shape);
        Elementwise.Unary<TOp>(x.Data, y.Data);
        return y;
    }

    /// <summary>Unary op whose derivative is a function of its output: dx += TGrad(y, dy).</summary>
    private static Tensor UnaryOnOutput<TOp, TGrad>(Tensor x) where TOp : struct, IUnaryOperator where TGrad : struct, IBinaryOperator
    {
        var y = Unary<TOp>(x);
        return Record(y, [x], () => { var dx = x.GradForOverwrite(out bool acc); Elementwise.Binary<TGrad>(y.Data, y.Grad, dx, acc); });
    }

    /// <summary>Unary op whose derivative is a function of its input: dx += TGrad(x, dy).</summary>
    private static Tensor UnaryOnInput<TOp, TGrad>(Tensor x) where TOp : struct, IUnaryOperator where TGrad : struct, IBinaryOperator
    {
        var y = Unary<TOp>(x);
        return Record(y, [x], () => { var dx = x.GradForOverwrite(out bool acc); Elementwise.Binary<TGrad>(x.Data, y.Grad, dx, acc); });
    }
}
