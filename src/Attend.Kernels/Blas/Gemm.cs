// Single-precision GEMM: C = op(A)·op(B), or C += op(A)·op(B). Row-major; op(X) is X or Xᵀ, covering the NN, NT and
// TN layouts that forward and backward passes need. Packed, cache-blocked, register-blocked, multi-threaded.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

/// <summary>Which micro-kernel the GEMM uses: a tile shape at a vector width.</summary>
public enum GemmKernel
{
    /// <summary>The one for this CPU's vector path (<see cref="Gemm.Best"/>).</summary>
    Auto,
    /// <summary>12×32 tile of 16-lane vectors (AVX-512).</summary>
    Avx512,
    /// <summary>6×16 tile of 8-lane vectors (AVX2 + FMA).</summary>
    Avx2,
    /// <summary>12×8 tile of 4-lane vectors (ARM64 NEON: 32 registers).</summary>
    Neon,
    /// <summary>6×8 tile of 4-lane vectors (SSE: x64 without AVX2, 16 registers).</summary>
    Sse,
    /// <summary>4×4 scalar tile.</summary>
    Scalar,
}

/// <summary>An elementwise function a packed product applies to its final sums while they are in cache.</summary>
public enum GemmActivation
{
    /// <summary>None: C = bias + A·B.</summary>
    None,
    /// <summary>Exact GELU, x·Φ(x) (GeluErfOperator).</summary>
    GeluErf,
    /// <summary>GELU's tanh approximation (GeluTanhOperator).</summary>
    GeluTanh,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>SiLU (swish), x·σ(x).</summary>
    Silu,
}

/// <summary>Matrix multiplication over float spans.</summary>
public static class Gemm
{
    /// <summary>The kernel <see cref="GemmKernel.Auto"/> resolves to: the tile for <see cref="Isa.Path"/>'s width and register count.</summary>
    public static GemmKernel Best { get; } = Isa.Path switch
    {
        VectorPath.Vector512 => GemmKernel.Avx512,
        VectorPath.Vector256 => GemmKernel.Avx2,
        VectorPath.Vector128 => AdvSimd.IsSupported ? GemmKernel.Neon : GemmKernel.Sse,
        _ => GemmKernel.Scalar,
    };

    /// <summary>Whether <paramref name="kernel"/> runs accelerated here (every kernel computes correctly anywhere; one whose width is not accelerated is emulated, slowly).</summary>
    public static bool IsAccelerated(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Avx512 => Vector512.IsHardwareAccelerated,
        GemmKernel.Avx2 => Vector256.IsHardwareAccelerated,
        GemmKernel.Neon or GemmKernel.Sse => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>
    /// C (m, n) = op(A) (m, k) · op(B) (k, n), added to C when <paramref name="accumulate"/>.
    /// A is stored (m, lda) or, when <paramref name="transA"/>, (k, lda); B is stored (k, ldb) or, when
    /// <paramref name="transB"/>, (n, ldb); C is stored (m, ldc). Uses <see cref="Parallelism.Degree"/> threads.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
        => Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, Parallelism.Degree, GemmKernel.Auto);

    /// <summary>As <see cref="Multiply(bool,bool,int,int,int,ReadOnlySpan{float},int,ReadOnlySpan{float},int,Span{float},int,bool)"/> with an explicit thread count and kernel.</summary>
    public static unsafe void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate,
        int threads, GemmKernel kernel)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            }
            return;
        }
        int workers = WorkersFor(m, n, k, threads);
        fixed (float* ap = a, bp = b, cp = c)
        {
            if (SmallRowsProduct.Applies(m, transB) && kernel == GemmKernel.Auto)
            {
                SmallRowsProduct.Run(transA, transB, m, n, k, ap, lda, bp, ldb, cp, ldc, accumulate, threads);
                return;
            }
            Dispatch(kernel == GemmKernel.Auto ? Best : kernel, new RunUnpacked(transA, transB, m, n, k, ap, lda, bp, ldb, cp, ldc, accumulate, workers));
        }
    }

    /// <summary>
    /// Packs op(B) (k, n) once for <see cref="Multiply(int, ReadOnlySpan{float}, int, PackedMatrix, Span{float}, int, bool)"/>:
    /// B is stored (k, ldb) or, when <paramref name="transB"/>, (n, ldb) (a Linear weight (out, in) is op(B) = Wᵀ).
    /// The panels are laid out for <paramref name="kernel"/> (Auto: <see cref="Best"/>).
    /// </summary>
    public static unsafe PackedMatrix Pack(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb, GemmKernel kernel = GemmKernel.Auto)
    {
        if (k < 0 || n < 0) throw new ArgumentException($"GEMM sizes must be non-negative, got k={k} n={n}");
        Require("B", transB ? n : k, transB ? k : n, b.Length, ldb);
        kernel = kernel == GemmKernel.Auto ? Best : kernel;
        var packed = new PackedMatrix(k, n, kernel, (long)k * Dispatch<Width, int>(kernel, new Width(n)));
        fixed (float* bp = b)
        {
            var pack = new PackAll(bp, ldb, transB, k, n, packed.Data);
            Dispatch(kernel, pack);
        }
        return packed;
    }

    /// <summary>
    /// C (m, n) = A (m, k) · B, added to C when <paramref name="accumulate"/>, with B packed by <see cref="Pack"/>.
    /// A is stored (m, lda), C (m, ldc). Equal bit for bit to <see cref="Multiply(bool,bool,int,int,int,ReadOnlySpan{float},int,ReadOnlySpan{float},int,Span{float},int,bool,int,GemmKernel)"/>
    /// with the pack's kernel, for any m (one row included) and any thread count.
    /// </summary>
    public static unsafe void Multiply(int m, ReadOnlySpan<float> a, int lda, PackedMatrix b, Span<float> c, int ldc, bool accumulate = false)
        => Multiply(m, a, lda, b, c, ldc, accumulate, Parallelism.Degree, default);

    /// <summary>
    /// As <see cref="Multiply(int, ReadOnlySpan{float}, int, PackedMatrix, Span{float}, int, bool)"/> with an explicit
    /// thread count, and with a <paramref name="bias"/> of n floats (or empty) added to every row of the product
    /// where the kernel stores it: C = bias + A·B, as if C had been filled with the bias and the product accumulated
    /// onto it, bit for bit, without writing C twice. A bias is refused with <paramref name="accumulate"/>.
    /// <paramref name="activation"/> is applied to each tile's final sums where they are stored, as
    /// <see cref="Elementwise.Unary{TOp}"/> would apply it to all of C afterwards (the same for every element that
    /// falls in a whole vector of its tile row, which is every element when n is a multiple of the vector width).
    /// </summary>
    public static unsafe void Multiply(int m, ReadOnlySpan<float> a, int lda, PackedMatrix b, Span<float> c, int ldc, bool accumulate, int threads,
        ReadOnlySpan<float> bias, GemmActivation activation = GemmActivation.None)
    {
        int n = b.N, k = b.K;
        if (m < 0) throw new ArgumentException($"GEMM sizes must be non-negative, got m={m}");
        Require("A", m, k, a.Length, lda);
        Require("C", m, n, c.Length, ldc);
        if (!bias.IsEmpty && (bias.Length != n || accumulate)) throw new ArgumentException($"GEMM: a bias must have the {n} columns of C and comes without accumulate, got {bias.Length}");
        if (m == 0 || n == 0) return;
        var act = Activation(activation);
        if (k == 0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (!accumulate && bias.IsEmpty) row.Clear();
                else if (!accumulate) bias.CopyTo(row);
                if (act != null)
                    fixed (float* r = row) act(r, r, n);
            }
            return;
        }
        fixed (float* ap = a, cp = c, biasp = bias)
        {
            Dispatch(b.Kernel, new RunPacked(m, n, k, ap, lda, b.Data, cp, ldc, accumulate, WorkersFor(m, n, k, threads), bias.IsEmpty ? null : biasp, act));
        }
        GC.KeepAlive(b);
    }

    // one generic action over the driver of a kernel, so that the kernel is chosen in one switch
    private interface IDriverAction<TResult>
    {
        TResult Invoke<TKernel>() where TKernel : struct, IMicroKernel;
    }

    private static TResult Dispatch<TAction, TResult>(GemmKernel kernel, TAction action) where TAction : IDriverAction<TResult> => kernel switch
    {
        GemmKernel.Avx512 => action.Invoke<MicroKernel12<Simd512, Vector512<float>>>(),
        GemmKernel.Avx2 => action.Invoke<MicroKernel6<Simd256, Vector256<float>>>(),
        GemmKernel.Neon => action.Invoke<MicroKernel12<Simd128, Vector128<float>>>(),
        GemmKernel.Sse => action.Invoke<MicroKernel6<Simd128, Vector128<float>>>(),
        _ => action.Invoke<MicroKernelScalar>(),
    };

    private static void Dispatch<TAction>(GemmKernel kernel, TAction action) where TAction : IDriverAction<bool> => Dispatch<TAction, bool>(kernel, action);

    private readonly struct Width(int n) : IDriverAction<int>
    {
        public int Invoke<TKernel>() where TKernel : struct, IMicroKernel => GemmDriver<TKernel>.PackedWidth(n);
    }

    private readonly unsafe struct PackAll(float* b, int ldb, bool transB, int k, int n, float* dst) : IDriverAction<bool>
    {
        public bool Invoke<TKernel>() where TKernel : struct, IMicroKernel
        {
            GemmDriver<TKernel>.PackAll(b, ldb, transB, k, n, dst);
            return true;
        }
    }

    private readonly unsafe struct RunUnpacked(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, int workers) : IDriverAction<bool>
    {
        public bool Invoke<TKernel>() where TKernel : struct, IMicroKernel
        {
            GemmDriver<TKernel>.Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, workers);
            return true;
        }
    }

    private static unsafe delegate*<float*, float*, int, void> Activation(GemmActivation activation) => activation switch
    {
        GemmActivation.None => null,
        GemmActivation.GeluErf => Elementwise.UnaryRangeAtPath<GeluErfOperator>(),
        GemmActivation.GeluTanh => Elementwise.UnaryRangeAtPath<GeluTanhOperator>(),
        GemmActivation.Relu => Elementwise.UnaryRangeAtPath<ReluOperator>(),
        GemmActivation.Silu => Elementwise.UnaryRangeAtPath<SiluOperator>(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    private readonly unsafe struct RunPacked(int m, int n, int k, float* a, int lda, float* packed, float* c, int ldc, bool accumulate, int workers, float* bias,
        delegate*<float*, float*, int, void> activation) : IDriverAction<bool>
    {
        public bool Invoke<TKernel>() where TKernel : struct, IMicroKernel
        {
            GemmDriver<TKernel>.Run(false, false, m, n, k, a, lda, null, 0, c, ldc, accumulate, workers, packed, bias, activation);
            return true;
        }
    }

    /// <summary>
    /// <paramref name="batch"/> independent products C[i] (+)= op(A[i])·op(B[i]); matrix i starts at i·stride in each
    /// span (a stride of 0 broadcasts one matrix to every product). Parallel over the batch when it is large enough.
    /// </summary>
    public static void MultiplyBatched(int batch, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        Span<float> c, int ldc, long strideC, bool accumulate = false)
    {
        if (batch == 0) return;
        int threads = Parallelism.Degree;
        long perItem = (long)m * n * Math.Max(k, 1);
        int outer = batch >= threads && threads > 1 && perItem * batch >= MinWorkPerThread * 2 ? threads : 1;
        if (outer == 1)
        {
            for (int i = 0; i < batch; i++)
            {
                MultiplyItem(transA, transB, m, n, k, Item(a, i, strideA), lda, Item(b, i, strideB), ldb,
                    Item(c, i, strideC), ldc, accumulate, threads);
            }
            return;
        }
        unsafe
        {
            fixed (float* ap = a, bp = b, cp = c)
            {
                nint aa = (nint)ap, bb = (nint)bp, cc = (nint)cp;
                int la = a.Length, lb = b.Length, lc = c.Length;
                Parallelism.Run(batch, outer, (start, end) =>
                {
                    var sa = new ReadOnlySpan<float>((float*)aa, la);
                    var sb = new ReadOnlySpan<float>((float*)bb, lb);
                    var sc = new Span<float>((float*)cc, lc);
                    for (int i = start; i < end; i++)
                    {
                        MultiplyItem(transA, transB, m, n, k, Item(sa, i, strideA), lda, Item(sb, i, strideB), ldb,
                            Item(sc, i, strideC), ldc, accumulate, 1);
                    }
                });
            }
        }
    }

    private const long MinWorkPerThread = 1L << 17;

    // One product of a batch: small ones (narrow attention heads) straight from the operands, the rest blocked.
    private static unsafe void MultiplyItem(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, int threads)
    {
        if (m == 0 || n == 0 || k == 0 || !TinyProduct.Applies(m, n, k))
        {
            Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads, GemmKernel.Auto);
            return;
        }
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* ap = a, bp = b, cp = c) TinyProduct.Run(transA, transB, m, n, k, ap, lda, bp, ldb, cp, ldc, accumulate);
    }

    private static int WorkersFor(int m, int n, int k, int threads)
    {
        long work = (long)m * n * k;
        return (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, threads));
    }

    private static ReadOnlySpan<float> Item(ReadOnlySpan<float> s, int i, long stride) => stride == 0 ? s : s.Slice((int)(i * stride));
    private static Span<float> Item(Span<float> s, int i, long stride) => stride == 0 ? s : s.Slice((int)(i * stride));

    private static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM sizes must be non-negative, got m={m} n={n} k={k}");
        Require("A", transA ? k : m, transA ? m : k, aLength, lda);
        Require("B", transB ? n : k, transB ? k : n, bLength, ldb);
        Require("C", m, n, cLength, ldc);
    }

    private static void Require(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"GEMM: leading dimension of {name} is {ld}, less than its {cols} columns");
        long need = (long)(rows - 1) * ld + cols;
        if (length < need) throw new ArgumentException($"GEMM: {name} needs {need} elements for ({rows}, {cols}) with stride {ld}, got {length}");
    }
}
