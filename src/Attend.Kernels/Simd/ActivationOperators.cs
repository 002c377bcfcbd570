// Elementwise nonlinearities as operator structs: exp, log, sqrt, tanh, sigmoid, ReLU and GELU (erf and tanh forms,
// PyTorch's F.gelu definitions).
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>eˣ.</summary>
public readonly struct ExpOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Exp(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x);
}

/// <summary>ln x.</summary>
public readonly struct LogOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Log(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Log(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Log(x);
}

/// <summary>√x.</summary>
public readonly struct SqrtOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Sqrt(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Sqrt(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Sqrt(x);
}

/// <summary>|x|.</summary>
public readonly struct AbsOperator : IUnaryOperator
{
    public static float Invoke(float x) => MathF.Abs(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Abs(x);
}

/// <summary>tanh x.</summary>
public readonly struct TanhOperator : IUnaryOperator
{
    public static float Invoke(float x) => VectorMath.Tanh(x);
    public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);
    public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Tanh(x);
}

/// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
public readonly struct SigmoidOperator : IUnaryOperator
{
    public static float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}

/// <summary>max(x, 0).</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    public static float Invoke(float x) => x > 0f ? x : 0f;
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)).</summary>
public readonly struct GeluErfOperator : IUnaryOperator
{
    internal const float InvSqrt2 = 0.70710678118654752f;
    public static float Invoke(float x) => 0.5f * x * (1f + VectorMath.Erf(x * InvSqrt2));
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(InvSqrt2)));
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(0.5f) * x * (Vector512<float>.One + VectorMath.Erf(x * Vector512.Create(InvSqrt2)));
}

/// <summary>GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
public readonly struct GeluTanhOperator : IUnaryOperator
{
    internal const float C = 0.79788456080286536f, K = 0.044715f;
    public static float Invoke(float x) => 0.5f * x * (1f + VectorMath.Tanh(C * (x + K * x * x * x)));
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Tanh(Vector256.Create(C) * (x + Vector256.Create(K) * x * x * x)));
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Create(0.5f) * x * (Vector512<float>.One + VectorMath.Tanh(Vector512.Create(C) * (x + Vector512.Create(K) * x * x * x)));
}
