// Inverted-dropout masks from random bits: element i is dropped when its 16 random bits are below the threshold
// (p resolved to 1/65536), else kept and scaled by 1/(1 − p). At each vector width (Isa.Path) 16-bit lanes are widened to
// 32 bits and selected; the scalar reference is the definition.
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Simd;

/// <summary>Dropout scale factors from 16-bit random draws.</summary>
public static class DropoutMask
{
    /// <summary>scale[i] = bits[i] &lt; threshold ? 0 : keep. bits, scale: (n,).</summary>
    public static void Fill(ReadOnlySpan<ushort> bits, uint threshold, float keep, Span<float> scale)
    {
        if (bits.Length != scale.Length) throw new ArgumentException($"{bits.Length} random draws for {scale.Length} elements");
        int i = 0, n = bits.Length;
        if (Isa.Path == VectorPath.Vector512)
        {
            var t = Vector512.Create(threshold);
            var k = Vector512.Create(keep);
            for (; i + 32 <= n; i += 32)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Create(bits.Slice(i, 32)));                 // 2 × (16 × u32)
                Vector512.ConditionalSelect(Vector512.LessThan(lo, t).AsSingle(), Vector512<float>.Zero, k).CopyTo(scale.Slice(i, 16));
                Vector512.ConditionalSelect(Vector512.LessThan(hi, t).AsSingle(), Vector512<float>.Zero, k).CopyTo(scale.Slice(i + 16, 16));
            }
        }
        else if (Isa.Path == VectorPath.Vector256)
        {
            var t = Vector256.Create(threshold);
            var k = Vector256.Create(keep);
            for (; i + 16 <= n; i += 16)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(bits.Slice(i, 16)));
                Vector256.ConditionalSelect(Vector256.LessThan(lo, t).AsSingle(), Vector256<float>.Zero, k).CopyTo(scale.Slice(i, 8));
                Vector256.ConditionalSelect(Vector256.LessThan(hi, t).AsSingle(), Vector256<float>.Zero, k).CopyTo(scale.Slice(i + 8, 8));
            }
        }
        else if (Isa.Path == VectorPath.Vector128)
        {
            var t = Vector128.Create(threshold);
            var k = Vector128.Create(keep);
            for (; i + 8 <= n; i += 8)
            {
                var (lo, hi) = Vector128.Widen(Vector128.Create(bits.Slice(i, 8)));
                Vector128.ConditionalSelect(Vector128.LessThan(lo, t).AsSingle(), Vector128<float>.Zero, k).CopyTo(scale.Slice(i, 4));
                Vector128.ConditionalSelect(Vector128.LessThan(hi, t).AsSingle(), Vector128<float>.Zero, k).CopyTo(scale.Slice(i + 4, 4));
            }
        }
        Reference(bits[i..], threshold, keep, scale[i..]);
    }

    /// <summary>The definition, element by element.</summary>
    internal static void Reference(ReadOnlySpan<ushort> bits, uint threshold, float keep, Span<float> scale)
    {
        for (int i = 0; i < bits.Length; i++) scale[i] = bits[i] < threshold ? 0f : keep;
    }
}
