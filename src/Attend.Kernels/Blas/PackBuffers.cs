// Per-thread, 64-byte-aligned scratch for packed A and B blocks, allocated once per thread and reused by every call.
using System.Runtime.InteropServices;

namespace Attend.Kernels.Blas;

internal sealed unsafe class PackBuffers
{
    [ThreadStatic] private static PackBuffers? _current;

    public float* A { get; private set; }
    public float* B { get; private set; }
    private nuint _aLength, _bLength;

    /// <summary>This thread's buffers, grown to hold at least the given number of floats.</summary>
    public static PackBuffers ForThread(long aFloats, long bFloats)
    {
        var buffers = _current ??= new PackBuffers();
        buffers.Ensure(aFloats, bFloats);
        return buffers;
    }

    private void Ensure(long aFloats, long bFloats)
    {
        if ((nuint)aFloats > _aLength)
        {
            if (A != null) NativeMemory.AlignedFree(A);
            A = (float*)NativeMemory.AlignedAlloc((nuint)aFloats * sizeof(float), 64);
            _aLength = (nuint)aFloats;
        }
        if ((nuint)bFloats > _bLength)
        {
            if (B != null) NativeMemory.AlignedFree(B);
            B = (float*)NativeMemory.AlignedAlloc((nuint)bFloats * sizeof(float), 64);
            _bLength = (nuint)bFloats;
        }
    }

    ~PackBuffers()
    {
        if (A != null) NativeMemory.AlignedFree(A);
        if (B != null) NativeMemory.AlignedFree(B);
    }
}
