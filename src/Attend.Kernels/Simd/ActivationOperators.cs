// Elementwise nonlinearities as operator structs: exp, log, sqrt, tanh, sigmoid, ReLU, GELU (erf and tanh forms,
// PyTorch's F.gelu definitions) and SiLU (swish).
namespace Attend.Kernels.Simd;

/// <summary>eˣ.</summary>
public readonly struct ExpOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Exp(x);
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Exp(x);
}

/// <summary>ln x.</summary>
public readonly struct LogOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Log(x);
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Log(x);
}

/// <summary>√x.</summary>
public readonly struct SqrtOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Sqrt(x);
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Sqrt(x);
}

/// <summary>|x|.</summary>
public readonly struct AbsOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Abs(x);
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Abs(x);
}

/// <summary>tanh x.</summary>
public readonly struct TanhOperator : IUnaryOperator
{
    public static float Invoke(float x) => VectorMath.Tanh(x);
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => VectorMath.Tanh<S, V>(x);
}

/// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
public readonly struct SigmoidOperator : IUnaryOperator
{
    public static float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct
    {
        var one = S.Splat(1f);
        return S.Div(one, S.Add(one, S.Exp(S.Negate(x))));
    }
}

/// <summary>max(x, 0).</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    public static float Invoke(float x) => x > 0f ? x : 0f;
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Max(x, S.Zero);
}

/// <summary>GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)).</summary>
public readonly struct GeluErfOperator : IUnaryOperator
{
    internal const float InvSqrt2 = 0.70710678118654752f;
    public static float Invoke(float x) => 0.5f * x * (1f + VectorMath.Erf(x * InvSqrt2));
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct =>
        S.Mul(S.Mul(S.Splat(0.5f), x), S.Add(S.Splat(1f), VectorMath.Erf<S, V>(S.Mul(x, S.Splat(InvSqrt2)))));
}

/// <summary>GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
public readonly struct GeluTanhOperator : IUnaryOperator
{
    internal const float C = 0.79788456080286536f, K = 0.044715f;
    public static float Invoke(float x) => 0.5f * x * (1f + VectorMath.Tanh(C * (x + K * x * x * x)));
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct
    {
        var inner = S.Mul(S.Splat(C), S.Add(x, S.Mul(S.Mul(S.Mul(S.Splat(K), x), x), x)));
        return S.Mul(S.Mul(S.Splat(0.5f), x), S.Add(S.Splat(1f), VectorMath.Tanh<S, V>(inner)));
    }
}

/// <summary>SiLU (swish): x·σ(x) = x / (1 + e⁻ˣ).</summary>
public readonly struct SiluOperator : IUnaryOperator
{
    public static float Invoke(float x) => x / (1f + MathF.Exp(-x));
    public static V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct => S.Div(x, S.Add(S.Splat(1f), S.Exp(S.Negate(x))));
}
