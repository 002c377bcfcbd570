// Packing of A and B blocks into the contiguous micro-panels the micro-kernel streams (Goto & van de Geijn §3):
// A block (mc, kc) → ⌈mc/MR⌉ panels of (kc, MR); B block (kc, nc) → ⌈nc/NR⌉ panels of (kc, NR); edges zero-padded.
// Contiguous runs are block copies; the transposing cases use an in-register 16×16 transpose on the AVX-512 path.
// The packers are compiled fully optimised on first call (AggressiveOptimization): packing a model's weights at load
// ran them once, in tier-0 code with the vector stores not inlined, at a quarter of the speed.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0:i0+mc, p0:p0+kc] into <paramref name="dst"/> as MR-row panels, each (kc, MR) column-interleaved.
    /// op(A)(i, p) = transA ? a[p*lda + i] : a[i*lda + p].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, int lda, bool transA, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (transA)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * lda + i0 + ir;
                    float* d = panel + p * mr;
                    CopyRun(src, d, rows);
                    for (int i = rows; i < mr; i++) d[i] = 0f;
                }
            }
            else
            {
                int p = 0;
                if (Isa.Path == VectorPath.Vector512 && rows == mr && mr is >= 8 and <= 16)
                {
                    float* src = a + (long)(i0 + ir) * lda + p0;
                    for (; p + 16 <= kc; p += 16) TransposeBlock16(src + p, lda, mr, mr, panel + p * mr);
                }
                for (int i = 0; i < rows; i++)
                {
                    float* src = a + (long)(i0 + ir + i) * lda + p0;
                    for (int q = p; q < kc; q++) panel[q * mr + i] = src[q];
                }
                for (int i = rows; i < mr; i++)
                {
                    for (int q = 0; q < kc; q++) panel[q * mr + i] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Writes the 16 columns of a (rows, 16) block (8 ≤ rows ≤ 16, row stride lda) as 16 groups <paramref name="stride"/>
    /// apart: dst[c·stride + i] = src[i·lda + c] for i &lt; 16 (rows past `rows` are zero). An in-register 16×16
    /// transpose (unpack, then two rounds of 128-bit lane shuffles). With stride &lt; 16 each 16-lane store spills into
    /// the next group, which the next store overwrites; the last group is written exactly, so nothing at or past
    /// dst[15·stride + max(stride, 16)) is touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock16(float* src, int lda, int rows, int stride, float* dst)
    {
        // rows (16 lanes each); rows ≥ `rows` are zero
        var r0 = Vector512.Load(src + 0L * lda);
        var r1 = Vector512.Load(src + 1L * lda);
        var r2 = Vector512.Load(src + 2L * lda);
        var r3 = Vector512.Load(src + 3L * lda);
        var r4 = Vector512.Load(src + 4L * lda);
        var r5 = Vector512.Load(src + 5L * lda);
        var r6 = Vector512.Load(src + 6L * lda);
        var r7 = Vector512.Load(src + 7L * lda);
        var r8 = 8 < rows ? Vector512.Load(src + 8L * lda) : Vector512<float>.Zero;
        var r9 = 9 < rows ? Vector512.Load(src + 9L * lda) : Vector512<float>.Zero;
        var r10 = 10 < rows ? Vector512.Load(src + 10L * lda) : Vector512<float>.Zero;
        var r11 = 11 < rows ? Vector512.Load(src + 11L * lda) : Vector512<float>.Zero;
        var r12 = 12 < rows ? Vector512.Load(src + 12L * lda) : Vector512<float>.Zero;
        var r13 = 13 < rows ? Vector512.Load(src + 13L * lda) : Vector512<float>.Zero;
        var r14 = 14 < rows ? Vector512.Load(src + 14L * lda) : Vector512<float>.Zero;
        var r15 = 15 < rows ? Vector512.Load(src + 15L * lda) : Vector512<float>.Zero;
        // pairs of rows interleaved within 128-bit lanes
        var t0 = Avx512F.UnpackLow(r0, r1);
        var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3);
        var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5);
        var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7);
        var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9);
        var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11);
        var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13);
        var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15);
        var t15 = Avx512F.UnpackHigh(r14, r15);
        // u(g + c), lane L: column 4L + c of rows g..g+3
        var u0 = Avx512F.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle();
        var u1 = Avx512F.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle();
        var u2 = Avx512F.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle();
        var u3 = Avx512F.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle();
        var u4 = Avx512F.UnpackLow(t4.AsDouble(), t6.AsDouble()).AsSingle();
        var u5 = Avx512F.UnpackHigh(t4.AsDouble(), t6.AsDouble()).AsSingle();
        var u6 = Avx512F.UnpackLow(t5.AsDouble(), t7.AsDouble()).AsSingle();
        var u7 = Avx512F.UnpackHigh(t5.AsDouble(), t7.AsDouble()).AsSingle();
        var u8 = Avx512F.UnpackLow(t8.AsDouble(), t10.AsDouble()).AsSingle();
        var u9 = Avx512F.UnpackHigh(t8.AsDouble(), t10.AsDouble()).AsSingle();
        var u10 = Avx512F.UnpackLow(t9.AsDouble(), t11.AsDouble()).AsSingle();
        var u11 = Avx512F.UnpackHigh(t9.AsDouble(), t11.AsDouble()).AsSingle();
        var u12 = Avx512F.UnpackLow(t12.AsDouble(), t14.AsDouble()).AsSingle();
        var u13 = Avx512F.UnpackHigh(t12.AsDouble(), t14.AsDouble()).AsSingle();
        var u14 = Avx512F.UnpackLow(t13.AsDouble(), t15.AsDouble()).AsSingle();
        var u15 = Avx512F.UnpackHigh(t13.AsDouble(), t15.AsDouble()).AsSingle();
        // 128-bit lane shuffles: v(c) holds columns c and c + 8, v(c + 4) columns c + 4 and c + 12 (rows 0..7; v(c + 8..) rows 8..15)
        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88);
        var v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, u12, 0x88);
        var v12 = Avx512F.Shuffle4x128(u8, u12, 0xDD);
        var v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        var v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v9 = Avx512F.Shuffle4x128(u9, u13, 0x88);
        var v13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        var v2 = Avx512F.Shuffle4x128(u2, u6, 0x88);
        var v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        var v10 = Avx512F.Shuffle4x128(u10, u14, 0x88);
        var v14 = Avx512F.Shuffle4x128(u10, u14, 0xDD);
        var v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v11 = Avx512F.Shuffle4x128(u11, u15, 0x88);
        var v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        // column c → dst[c·mr ..]; stores run forward so each overwrites the previous spill
        Vector512.Store(Avx512F.Shuffle4x128(v0, v8, 0x88), dst + 0 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v1, v9, 0x88), dst + 1 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v2, v10, 0x88), dst + 2 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v3, v11, 0x88), dst + 3 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v4, v12, 0x88), dst + 4 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v5, v13, 0x88), dst + 5 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v6, v14, 0x88), dst + 6 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v7, v15, 0x88), dst + 7 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v0, v8, 0xDD), dst + 8 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v1, v9, 0xDD), dst + 9 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v2, v10, 0xDD), dst + 10 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v3, v11, 0xDD), dst + 11 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v4, v12, 0xDD), dst + 12 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v5, v13, 0xDD), dst + 13 * stride);
        Vector512.Store(Avx512F.Shuffle4x128(v6, v14, 0xDD), dst + 14 * stride);
        var last = Avx512F.Shuffle4x128(v7, v15, 0xDD);
        float* tail = dst + 15 * stride;
        if (stride >= 16) Vector512.Store(last, tail);
        else for (int i = 0; i < stride; i++) tail[i] = last.GetElement(i);
    }

    /// <summary>
    /// dst[c·stride + i] = src[i·lda + c] for an 8×8 block: the AVX2 path's transpose of the Linear layout (B stored
    /// (n, k)), in registers (unpack, 64-bit shuffles, 128-bit lane permutes) instead of 64 scalar moves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock8(float* src, int lda, float* dst, int stride)
    {
        var r0 = Vector256.Load(src + 0L * lda); var r1 = Vector256.Load(src + 1L * lda);
        var r2 = Vector256.Load(src + 2L * lda); var r3 = Vector256.Load(src + 3L * lda);
        var r4 = Vector256.Load(src + 4L * lda); var r5 = Vector256.Load(src + 5L * lda);
        var r6 = Vector256.Load(src + 6L * lda); var r7 = Vector256.Load(src + 7L * lda);
        // pairs of rows interleaved within 128-bit lanes
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        // four rows per 128-bit lane: u(c) lane L holds column 4L + c of rows 0..3 (u0..u3) or 4..7 (u4..u7)
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst + 0 * stride);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst + 1 * stride);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst + 2 * stride);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst + 3 * stride);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst + 4 * stride);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst + 5 * stride);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst + 6 * stride);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst + 7 * stride);
    }

    /// <summary>
    /// Packs op(B)[p0:p0+kc, j0:j0+nc] into <paramref name="dst"/> as NR-column panels, each (kc, NR) row-major.
    /// op(B)(p, j) = transB ? b[j*ldb + p] : b[p*ldb + j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, int ldb, bool transB, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        if (!transB)
        {
            PackRowsOfB(b, ldb, p0, kc, j0, nc, nr, dst);
            return;
        }
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            int start = 0;
            if (Isa.Path == VectorPath.Vector512 && cols == nr && nr % 16 == 0)
            {
                for (; start + 16 <= kc; start += 16)
                {
                    for (int h = 0; h < nr; h += 16)
                        TransposeBlock16(b + (long)(j0 + jr + h) * ldb + p0 + start, ldb, 16, nr, panel + start * nr + h);
                }
            }
            else if (Isa.Path == VectorPath.Vector256 && cols == nr && nr % 8 == 0)
            {
                for (; start + 8 <= kc; start += 8)
                {
                    for (int h = 0; h < nr; h += 8)
                        TransposeBlock8(b + (long)(j0 + jr + h) * ldb + p0 + start, ldb, panel + start * nr + h, nr);
                }
            }
            for (int j = 0; j < cols; j++)
            {
                float* src = b + (long)(j0 + jr + j) * ldb + p0;
                for (int p = start; p < kc; p++) panel[p * nr + j] = src[p];
            }
            for (int j = cols; j < nr; j++)
            {
                for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }

    /// <summary>
    /// The untransposed case of <see cref="PackB"/>: walks B row by row, so that each source row is read once and in
    /// order (walking one panel at a time touched a new page for every 32 floats), and scatters it over the panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRowsOfB(float* b, int ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        int full = nc / nr * nr;
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (long)(p0 + p) * ldb + j0;
            float* d = dst + p * nr;
            for (int jr = 0; jr < full; jr += nr)
            {
                CopyRun(src + jr, d + (long)jr * kc, nr);
            }
            if (full < nc)
            {
                float* t = d + (long)full * kc;
                int j = 0;
                for (; j < nc - full; j++) t[j] = src[full + j];
                for (; j < nr; j++) t[j] = 0f;
            }
        }
    }

    /// <summary>
    /// dst[0..n) = src[0..n) with inline vector moves at the path's width: a Memmove call per 12–32 floats cost ~2% of
    /// a 1024³ GEMM (stop 15).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int n)
    {
        int i = 0;
        if (Isa.Path == VectorPath.Vector512)
        {
            for (; i + 16 <= n; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
        }
        if (Isa.Path >= VectorPath.Vector256)
        {
            for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        }
        if (Isa.Path >= VectorPath.Vector128)
        {
            for (; i + 4 <= n; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
        }
        for (; i < n; i++) dst[i] = src[i];
    }
}
