// Packing of A and B blocks into the contiguous micro-panels the micro-kernel streams (Goto & van de Geijn §3):
// A block (mc, kc) → ⌈mc/MR⌉ panels of (kc, MR); B block (kc, nc) → ⌈nc/NR⌉ panels of (kc, NR); edges zero-padded.
namespace Attend.Kernels.Blas;

internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0:i0+mc, p0:p0+kc] into <paramref name="dst"/> as MR-row panels, each (kc, MR) column-interleaved.
    /// op(A)(i, p) = transA ? a[p*lda + i] : a[i*lda + p].
    /// </summary>
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
                    int i = 0;
                    for (; i < rows; i++) d[i] = src[i];
                    for (; i < mr; i++) d[i] = 0f;
                }
            }
            else
            {
                for (int i = 0; i < rows; i++)
                {
                    float* src = a + (long)(i0 + ir + i) * lda + p0;
                    for (int p = 0; p < kc; p++) panel[p * mr + i] = src[p];
                }
                for (int i = rows; i < mr; i++)
                {
                    for (int p = 0; p < kc; p++) panel[p * mr + i] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0:p0+kc, j0:j0+nc] into <paramref name="dst"/> as NR-column panels, each (kc, NR) row-major.
    /// op(B)(p, j) = transB ? b[j*ldb + p] : b[p*ldb + j].
    /// </summary>
    public static void PackB(float* b, int ldb, bool transB, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (transB)
            {
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (long)(j0 + jr + j) * ldb + p0;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = src[p];
                }
                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + j0 + jr;
                    float* d = panel + p * nr;
                    if (cols == nr)
                    {
                        new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(d, nr));
                        continue;
                    }
                    int j = 0;
                    for (; j < cols; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = 0f;
                }
            }
        }
    }
}
