// Backward rules of the activations as binary operator structs f(saved, dy) → dx contribution, used with the
// accumulating driver (dx += f(saved, dy)). "saved" is the input x or the output y, as each line says.
namespace Attend.Kernels.Simd;

/// <summary>ReLU′: (x, dy) → x > 0 ? dy : 0.</summary>
public readonly struct ReluGradOperator : IBinaryOperator
{
    public static float Invoke(float x, float dy) => x > 0f ? dy : 0f;
    public static V Invoke<S, V>(V x, V dy) where S : struct, ISimd<V> where V : struct => S.SelectGreater(x, S.Zero, dy, S.Zero);
}

/// <summary>tanh′: (y, dy) → dy·(1 − y²).</summary>
public readonly struct TanhGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy * (1f - y * y);
    public static V Invoke<S, V>(V y, V dy) where S : struct, ISimd<V> where V : struct => S.Mul(dy, S.Sub(S.Splat(1f), S.Mul(y, y)));
}

/// <summary>σ′: (y, dy) → dy·y·(1 − y).</summary>
public readonly struct SigmoidGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy * y * (1f - y);
    public static V Invoke<S, V>(V y, V dy) where S : struct, ISimd<V> where V : struct => S.Mul(S.Mul(dy, y), S.Sub(S.Splat(1f), y));
}

/// <summary>√′: (y, dy) → dy / (2y).</summary>
public readonly struct SqrtGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy / (y + y);
    public static V Invoke<S, V>(V y, V dy) where S : struct, ISimd<V> where V : struct => S.Div(dy, S.Add(y, y));
}

/// <summary>|·|′: (x, dy) → sign(x)·dy (0 at x = 0, as PyTorch).</summary>
public readonly struct AbsGradOperator : IBinaryOperator
{
    public static float Invoke(float x, float dy) => x > 0f ? dy : x < 0f ? -dy : 0f;
    public static V Invoke<S, V>(V x, V dy) where S : struct, ISimd<V> where V : struct =>
        S.SelectGreater(x, S.Zero, dy, S.SelectLess(x, S.Zero, S.Negate(dy), S.Zero));
}

/// <summary>GELU′ (erf form): (x, dy) → dy·(Φ(x) + x·φ(x)).</summary>
public readonly struct GeluErfGradOperator : IBinaryOperator
{
    private const float InvSqrt2Pi = 0.39894228040143268f;
    public static float Invoke(float x, float dy) =>
        dy * (0.5f * (1f + VectorMath.Erf(x * GeluErfOperator.InvSqrt2)) + x * InvSqrt2Pi * MathF.Exp(-0.5f * x * x));
    public static V Invoke<S, V>(V x, V dy) where S : struct, ISimd<V> where V : struct
    {
        var cdf = S.Mul(S.Splat(0.5f), S.Add(S.Splat(1f), VectorMath.Erf<S, V>(S.Mul(x, S.Splat(GeluErfOperator.InvSqrt2)))));
        var pdf = S.Mul(S.Mul(x, S.Splat(InvSqrt2Pi)), S.Exp(S.Mul(S.Mul(S.Splat(-0.5f), x), x)));
        return S.Mul(dy, S.Add(cdf, pdf));
    }
}

/// <summary>GELU′ (tanh form): (x, dy) → dy·(½(1+t) + ½x(1−t²)·c(1 + 3kx²)), t = tanh(c(x + kx³)).</summary>
public readonly struct GeluTanhGradOperator : IBinaryOperator
{
    private const float C = GeluTanhOperator.C, K = GeluTanhOperator.K;
    public static float Invoke(float x, float dy)
    {
        float t = VectorMath.Tanh(C * (x + K * x * x * x));
        return dy * (0.5f * (1f + t) + 0.5f * x * (1f - t * t) * C * (1f + 3f * K * x * x));
    }
    public static V Invoke<S, V>(V x, V dy) where S : struct, ISimd<V> where V : struct
    {
        var half = S.Splat(0.5f);
        var one = S.Splat(1f);
        var t = VectorMath.Tanh<S, V>(S.Mul(S.Splat(C), S.Add(x, S.Mul(S.Mul(S.Mul(S.Splat(K), x), x), x))));
        var left = S.Mul(half, S.Add(one, t));
        var right = S.Mul(S.Mul(S.Mul(S.Mul(half, x), S.Sub(one, S.Mul(t, t))), S.Splat(C)), S.Add(one, S.Mul(S.Mul(S.Splat(3f * K), x), x)));
        return S.Mul(dy, S.Add(left, right));
    }
}

/// <summary>SiLU′: (x, dy) → dy·σ(x)·(1 + x·(1 − σ(x))).</summary>
public readonly struct SiluGradOperator : IBinaryOperator
{
    public static float Invoke(float x, float dy)
    {
        float s = 1f / (1f + MathF.Exp(-x));
        return dy * s * (1f + x * (1f - s));
    }

    public static V Invoke<S, V>(V x, V dy) where S : struct, ISimd<V> where V : struct
    {
        var one = S.Splat(1f);
        var s = S.Div(one, S.Add(one, S.Exp(S.Negate(x))));
        return S.Mul(S.Mul(dy, s), S.Add(one, S.Mul(x, S.Sub(one, s))));
    }
}
