// Operator contracts for the SIMD drivers (TensorPrimitives' IUnaryOperator pattern, slimmed): each operator is a
// struct with a scalar Invoke and one generic Invoke over the vector width (ISimd), so one definition serves
// AVX-512, AVX2, NEON and the scalar path.
namespace Attend.Kernels.Simd;

/// <summary>y = f(x), elementwise.</summary>
public interface IUnaryOperator
{
    /// <summary>f(x) for one float.</summary>
    static abstract float Invoke(float x);
    /// <summary>f(x) lane by lane.</summary>
    static abstract V Invoke<S, V>(V x) where S : struct, ISimd<V> where V : struct;
}

/// <summary>z = f(x, y), elementwise.</summary>
public interface IBinaryOperator
{
    /// <summary>f(x, y) for one pair of floats.</summary>
    static abstract float Invoke(float x, float y);
    /// <summary>f(x, y) lane by lane.</summary>
    static abstract V Invoke<S, V>(V x, V y) where S : struct, ISimd<V> where V : struct;
}
