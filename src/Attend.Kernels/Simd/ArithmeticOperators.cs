// Elementwise arithmetic as operator structs for the SIMD drivers.
namespace Attend.Kernels.Simd;

/// <summary>x + y.</summary>
public readonly struct AddOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x + y;
    public static V Invoke<S, V>(V x, V y) where S : struct, ISimd<V> where V : struct => S.Add(x, y);
}

/// <summary>x − y.</summary>
public readonly struct SubtractOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x - y;
    public static V Invoke<S, V>(V x, V y) where S : struct, ISimd<V> where V : struct => S.Sub(x, y);
}

/// <summary>x · y.</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x * y;
    public static V Invoke<S, V>(V x, V y) where S : struct, ISimd<V> where V : struct => S.Mul(x, y);
}

/// <summary>x / y.</summary>
public readonly struct DivideOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x / y;
    public static V Invoke<S, V>(V x, V y) where S : struct, ISimd<V> where V : struct => S.Div(x, y);
}
