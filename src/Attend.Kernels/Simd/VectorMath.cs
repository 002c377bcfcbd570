// Vectorised transcendental helpers the operators share: tanh and erf built from exp with float32-level accuracy,
// written once over the vector width. tanh(x) = sign(x)·(1 − 2/(e^{2|x|}+1)), with the odd Taylor series below
// |x| < 0.04 where the subtraction cancels; erf from Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
using System.Runtime.CompilerServices;

namespace Attend.Kernels.Simd;

/// <summary>exp-based tanh and erf for scalars and any vector width.</summary>
public static class VectorMath
{
    private const float SmallTanh = 0.04f;
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>Hyperbolic tangent.</summary>
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>Hyperbolic tangent, lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<S, V>(V x) where S : struct, ISimd<V> where V : struct
    {
        var one = S.Splat(1f);
        var ax = S.Abs(x);
        var big = S.Sub(one, S.Div(S.Splat(2f), S.Add(S.Exp(S.Add(ax, ax)), one)));
        var x2 = S.Mul(x, x);
        var small = S.Mul(x, S.Add(one, S.Mul(x2, S.Add(S.Splat(-1f / 3f), S.Mul(x2, S.Splat(2f / 15f))))));
        return S.SelectLess(ax, S.Splat(SmallTanh), small, S.CopySign(big, x));
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
    public static V Erf<S, V>(V x) where S : struct, ISimd<V> where V : struct
    {
        var one = S.Splat(1f);
        var ax = S.Abs(x);
        var t = S.Div(one, S.Add(one, S.Mul(S.Splat(P), ax)));
        var poly = S.Mul(t, S.Add(S.Splat(A1), S.Mul(t, S.Add(S.Splat(A2), S.Mul(t, S.Add(S.Splat(A3), S.Mul(t, S.Add(S.Splat(A4), S.Mul(t, S.Splat(A5))))))))));
        return S.CopySign(S.Sub(one, S.Mul(poly, S.Exp(S.Negate(S.Mul(ax, ax))))), x);
    }
}
