// A software prefetch hint, for kernels whose access pattern is too short for the hardware prefetcher. A hint only:
// on x64 it is PREFETCHT0; .NET exposes no prefetch on ARM64, where it does nothing.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Attend.Kernels.Simd;

internal static unsafe class Prefetch
{
    /// <summary>Asks for the cache line holding <paramref name="p"/> in L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToL1(void* p)
    {
        if (Sse.IsSupported) Sse.Prefetch0(p);
    }
}
