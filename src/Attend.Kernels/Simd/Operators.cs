// Operator contracts for the SIMD drivers (TensorPrimitives' IUnaryOperator pattern, slimmed): each operator is a
// struct with static Invoke overloads for a scalar, a Vector256 and a Vector512, so one generic loop serves all.
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>y = f(x), elementwise.</summary>
public interface IUnaryOperator
{
    static abstract float Invoke(float x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>z = f(x, y), elementwise.</summary>
public interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
