// The one place where the vector ISA is chosen. The widest width the CPU accelerates wins: AVX-512 (16 lanes), AVX2
// (8), ARM64 NEON or SSE (4), else the scalar path (1). Kernels never test the CPU themselves: each implements
// IWidthKernel once, generically, and Isa.Run calls it with the chosen width. The runtime's switches
// (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0) turn widths off, which is how the tests
// take every path on one machine.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Attend.Kernels.Simd;

/// <summary>The vector width the kernels run at.</summary>
public enum VectorPath
{
    /// <summary>One lane: no vector width is accelerated.</summary>
    Scalar,
    /// <summary>4 lanes: ARM64 AdvSimd (NEON), or SSE on x64 without AVX2.</summary>
    Vector128,
    /// <summary>8 lanes: AVX2.</summary>
    Vector256,
    /// <summary>16 lanes: AVX-512.</summary>
    Vector512,
}

/// <summary>A kernel body written once over the vector width; <see cref="Isa.Run{TKernel}"/> instantiates it.</summary>
public interface IWidthKernel
{
    /// <summary>The body at the width of <typeparamref name="S"/>.</summary>
    void Run<S, V>() where S : struct, ISimd<V> where V : struct;
}

/// <summary>The vector path of this process, and the dispatch to it.</summary>
public static class Isa
{
    /// <summary>The widest accelerated width, fixed for the process.</summary>
    public static VectorPath Path { get; } =
        Vector512.IsHardwareAccelerated ? VectorPath.Vector512 :
        Vector256.IsHardwareAccelerated ? VectorPath.Vector256 :
        Vector128.IsHardwareAccelerated ? VectorPath.Vector128 : VectorPath.Scalar;

    /// <summary>Floats per vector on <see cref="Path"/>.</summary>
    public static int Lanes => Path switch { VectorPath.Vector512 => 16, VectorPath.Vector256 => 8, VectorPath.Vector128 => 4, _ => 1 };

    /// <summary>Whether fused multiply-add is an instruction here (x64 FMA3, ARM64 AdvSimd).</summary>
    public static bool HasFma => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>The path in words, e.g. "AVX-512 (16 lanes, FMA)".</summary>
    public static string Describe()
    {
        string name = Path switch
        {
            VectorPath.Vector512 => "AVX-512",
            VectorPath.Vector256 => "AVX2",
            VectorPath.Vector128 => AdvSimd.IsSupported ? "ARM64 AdvSimd (NEON)" : "SSE",
            _ => "scalar",
        };
        return $"{name} ({Lanes} lane{(Lanes == 1 ? "" : "s")}{(Path != VectorPath.Scalar && HasFma ? ", FMA" : "")}), {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }

    /// <summary>Runs <paramref name="kernel"/> at the width of <see cref="Path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel>(ref TKernel kernel) where TKernel : struct, IWidthKernel
    {
        switch (Path)
        {
            case VectorPath.Vector512: kernel.Run<Simd512, Vector512<float>>(); break;
            case VectorPath.Vector256: kernel.Run<Simd256, Vector256<float>>(); break;
            case VectorPath.Vector128: kernel.Run<Simd128, Vector128<float>>(); break;
            default: kernel.Run<SimdScalar, float>(); break;
        }
    }
}
