// Backward rules of the activations as binary operator structs f(saved, dy) → dx contribution, used with the
// accumulating driver (dx += f(saved, dy)). "saved" is the input x or the output y, as each line says.
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>ReLU′: (x, dy) → x > 0 ? dy : 0.</summary>
public readonly struct ReluGradOperator : IBinaryOperator
{
    public static float Invoke(float x, float dy) => x > 0f ? dy : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
}

/// <summary>tanh′: (y, dy) → dy·(1 − y²).</summary>
public readonly struct TanhGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy * (1f - y * y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
}

/// <summary>σ′: (y, dy) → dy·y·(1 − y).</summary>
public readonly struct SigmoidGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy * y * (1f - y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
}

/// <summary>√′: (y, dy) → dy / (2y).</summary>
public readonly struct SqrtGradOperator : IBinaryOperator
{
    public static float Invoke(float y, float dy) => dy / (y + y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy / (y + y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy / (y + y);
}

/// <summary>|·|′: (x, dy) → sign(x)·dy (0 at x = 0, as PyTorch).</summary>
public readonly struct AbsGradOperator : IBinaryOperator
{
    public static float Invoke(float x, float dy) => x > 0f ? dy : x < 0f ? -dy : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -dy, Vector256<float>.Zero));
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -dy, Vector512<float>.Zero));
}

/// <summary>GELU′ (erf form): (x, dy) → dy·(Φ(x) + x·φ(x)).</summary>
public readonly struct GeluErfGradOperator : IBinaryOperator
{
    private const float InvSqrt2Pi = 0.39894228040143268f;
    public static float Invoke(float x, float dy) =>
        dy * (0.5f * (1f + VectorMath.Erf(x * GeluErfOperator.InvSqrt2)) + x * InvSqrt2Pi * MathF.Exp(-0.5f * x * x));
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) =>
        dy * (Vector256.Create(0.5f) * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(GeluErfOperator.InvSqrt2)))
              + x * Vector256.Create(InvSqrt2Pi) * Vector256.Exp(Vector256.Create(-0.5f) * x * x));
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
        dy * (Vector512.Create(0.5f) * (Vector512<float>.One + VectorMath.Erf(x * Vector512.Create(GeluErfOperator.InvSqrt2)))
              + x * Vector512.Create(InvSqrt2Pi) * Vector512.Exp(Vector512.Create(-0.5f) * x * x));
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
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        var half = Vector256.Create(0.5f);
        var t = VectorMath.Tanh(Vector256.Create(C) * (x + Vector256.Create(K) * x * x * x));
        return dy * (half * (Vector256<float>.One + t) + half * x * (Vector256<float>.One - t * t) * Vector256.Create(C) * (Vector256<float>.One + Vector256.Create(3f * K) * x * x));
    }
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        var half = Vector512.Create(0.5f);
        var t = VectorMath.Tanh(Vector512.Create(C) * (x + Vector512.Create(K) * x * x * x));
        return dy * (half * (Vector512<float>.One + t) + half * x * (Vector512<float>.One - t * t) * Vector512.Create(C) * (Vector512<float>.One + Vector512.Create(3f * K) * x * x));
    }
}
