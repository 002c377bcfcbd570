// A right-hand operand packed once for many products: a weight that inference multiplies by every input. The blocked
// GEMM packs B into NR-column panels on every call (for a Linear weight stored (out, in) that is a transpose, and with
// two threads each packs its own copy); a PackedMatrix holds those panels for all of B, in the layout of the kernel
// chosen when it was made, so that products read them directly. ONNX Runtime does the same for constant weights.
// The products equal Gemm.Multiply's blocked path bit for bit: same blocks, same order of sums.
using System.Runtime.InteropServices;

namespace Attend.Kernels.Blas;

/// <summary>op(B) (k, n) packed for <see cref="Gemm.Multiply(int, ReadOnlySpan{float}, int, PackedMatrix, Span{float}, int, bool)"/>.</summary>
public sealed unsafe class PackedMatrix
{
    private float* _data;

    internal PackedMatrix(int k, int n, GemmKernel kernel, long floats)
    {
        K = k;
        N = n;
        Kernel = kernel;
        Floats = floats;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, floats) * sizeof(float), 64);
        if (floats > 0) GC.AddMemoryPressure(floats * sizeof(float));
    }

    /// <summary>Rows of op(B): the depth of the products.</summary>
    public int K { get; }

    /// <summary>Columns of op(B): the columns of each product.</summary>
    public int N { get; }

    /// <summary>The micro-kernel whose panels it holds.</summary>
    public GemmKernel Kernel { get; }

    /// <summary>Floats held (N rounded up to whole panels, times K).</summary>
    public long Floats { get; }

    internal float* Data => _data;

    // freed only when unreachable, so that no product can still be reading it
    ~PackedMatrix()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
        if (Floats > 0) GC.RemoveMemoryPressure(Floats * sizeof(float));
    }
}
