// Vectorised transcendental helpers the operators share: tanh and erf built from exp with float32-level accuracy.
// tanh(x) = sign(x)·(1 − 2/(e^{2|x|}+1)), with the odd Taylor series below |x| < 0.04 where the subtraction cancels;
// erf from Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>exp-based tanh and erf for scalars, Vector256 and Vector512.</summary>
public static class VectorMath
{
    private const float SmallTanh = 0.04f;
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>Hyperbolic tangent.</summary>
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>Hyperbolic tangent, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var big = Vector512<float>.One - Vector512.Create(2f) / (Vector512.Exp(ax + ax) + Vector512<float>.One);
        var x2 = x * x;
        var small = x * (Vector512<float>.One + x2 * (Vector512.Create(-1f / 3f) + x2 * Vector512.Create(2f / 15f)));
        var signed = Vector512.CopySign(big, x);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(SmallTanh)), small, signed);
    }

    /// <summary>Hyperbolic tangent, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var big = Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(ax + ax) + Vector256<float>.One);
        var x2 = x * x;
        var small = x * (Vector256<float>.One + x2 * (Vector256.Create(-1f / 3f) + x2 * Vector256.Create(2f / 15f)));
        var signed = Vector256.CopySign(big, x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(SmallTanh)), small, signed);
    }

    /// <summary>Error function.</summary>
    public static float Erf(float x)
    {
        float ax = MathF.Abs(x);
        float t = 1f / (1f + P * ax);
        float poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        return MathF.CopySign(1f - poly * MathF.Exp(-ax * ax), x);
    }

    /// <summary>Error function, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(P) * ax);
        var poly = t * (Vector512.Create(A1) + t * (Vector512.Create(A2) + t * (Vector512.Create(A3) + t * (Vector512.Create(A4) + t * Vector512.Create(A5)))));
        return Vector512.CopySign(Vector512<float>.One - poly * Vector512.Exp(-(ax * ax)), x);
    }

    /// <summary>Error function, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(P) * ax);
        var poly = t * (Vector256.Create(A1) + t * (Vector256.Create(A2) + t * (Vector256.Create(A3) + t * (Vector256.Create(A4) + t * Vector256.Create(A5)))));
        return Vector256.CopySign(Vector256<float>.One - poly * Vector256.Exp(-(ax * ax)), x);
    }
}
