// The five loops around the micro-kernel, run over one rectangle of C. BLIS's loop order applied to Cᵀ = Bᵀ·Aᵀ:
// A blocks (MB×KC) are packed once per depth step, B blocks (KC×NB) sit in L2, and one MR×KC A micro-panel stays in
// L1 while the kernel sweeps the B panels.
// Every element of C is produced by the same sequence of FMAs whatever rectangle or thread it falls in, so results
// do not depend on the thread count.
namespace Attend.Kernels.Blas;

internal static unsafe class GemmDriver<TKernel> where TKernel : struct, IMicroKernel
{
    /// <summary>Depth of a packed block.</summary>
    public const int KC = 256;

    /// <summary>
    /// Columns of a packed B block: KC×NB floats stay in the core's L2 while A micro-panels sweep over it, so NB is sized
    /// to half of L2 (768 on a 1.5–2 MiB L2, 512 on 1 MiB, 256 on Zen 1's 512 KiB). It only partitions columns: every
    /// element of C sees the same sums whatever NB is.
    /// </summary>
    public static readonly int NB = (int)Math.Clamp(CacheSizes.L2Bytes / 2 / (KC * sizeof(float)) / 128 * 128, 128, 768);

    /// <summary>Rows of a packed A block (kept in L3); one MR-row micro-panel of it stays in L1 during a sweep.</summary>
    public const int MB = 1536;

    /// <summary>
    /// Computes C[rows, cols] of C = op(A)·op(B) (+ C) for the rectangle [i0, i1) × [j0, j1). With
    /// <paramref name="packed"/> (all of B packed once by <see cref="PackAll"/>, <paramref name="packedWidth"/> columns
    /// wide) B's blocks are read from there instead of being packed here. With <paramref name="bias"/> (n floats; only
    /// without <paramref name="accumulate"/>) every row of C starts from the bias instead of zero.
    /// </summary>
    public static void RunRectangle(bool transA, bool transB, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate, int i0, int i1, int j0, int j1, float* packed = null, int packedWidth = 0, float* bias = null,
        delegate*<float*, float*, int, void> activation = null)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int mbMax = (MB + mr - 1) / mr * mr, nbMax = (NB + nr - 1) / nr * nr;
        var buffers = PackBuffers.ForThread((long)mbMax * KC, (long)KC * nbMax);
        float* aPack = buffers.A, bScratch = buffers.B;
        float* edge = stackalloc float[mr * nr];

        for (int ic = i0; ic < i1; ic += mbMax)
        {
            int mb = Math.Min(mbMax, i1 - ic);
            // Row tiles: whole MR-row panels, except that a thin remainder (under MR/2 rows) and the last whole panel
            // become two tiles of nearly equal height, packed as panels of the taller one's height. 13 rows on the
            // 12-row kernel are then 7 + 6 (each B vector loaded feeds 7 or 6 rows' FMAs) instead of 12 + 1 (one row's
            // FMAs per B vector: a load-bound tile that took 12 % of a 13-token MiniLM pass). Every element's sums are
            // the same whatever tile it falls in.
            int full = mb / mr, remainder = mb % mr;
            bool balance = remainder > 0 && full >= 1 && 2 * remainder < mr;
            int mainRows = balance ? (full - 1) * mr : mb;
            int tall = balance ? (mr + remainder + 1) / 2 : 0, shortRows = balance ? mr + remainder - tall : 0;
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool add = accumulate || pc > 0;
                float* blockBias = add ? null : bias;
                var blockActivation = pc + kc == k ? activation : null;                             // on final sums only
                GemmPacking.PackA(a, lda, transA, ic, mainRows, pc, kc, mr, aPack);
                if (balance) GemmPacking.PackA(a, lda, transA, ic + mainRows, mr + remainder, pc, kc, tall, aPack + (long)mainRows * kc);
                for (int jc = j0; jc < j1; jc += nbMax)
                {
                    int nb = Math.Min(nbMax, j1 - jc);
                    float* bPack = packed == null ? bScratch : packed + (long)pc * packedWidth + (long)jc * kc;
                    if (packed == null) GemmPacking.PackB(b, ldb, transB, pc, kc, jc, nb, nr, bPack);
                    for (int ir = 0; ir < mb;)
                    {
                        int rows = ir < mainRows ? Math.Min(mr, mb - ir) : ir == mainRows ? tall : shortRows;
                        int stride = ir < mainRows ? mr : tall;
                        float* aPanel = aPack + (long)ir * kc;
                        float* cRow = c + (long)(ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nb; jr += nr)
                        {
                            int cols = Math.Min(nr, nb - jr);
                            float* bPanel = bPack + (long)jr * kc;
                            float* tileBias = blockBias == null ? null : blockBias + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cRow + jr, ldc, add, tileBias);
                            }
                            else if (cols == nr)
                            {
                                TKernel.RunRows(rows, stride, kc, aPanel, bPanel, cRow + jr, ldc, add, tileBias);
                            }
                            else
                            {
                                if (rows == mr) TKernel.Run(kc, aPanel, bPanel, edge, nr, add: false, bias: null);
                                else TKernel.RunRows(rows, stride, kc, aPanel, bPanel, edge, nr, add: false, bias: null);
                                StoreEdge(edge, nr, cRow + jr, ldc, rows, cols, add, tileBias);
                            }
                            if (blockActivation != null)
                            {
                                // the tile is still in L1: activate it there instead of in another pass over C
                                for (int i = 0; i < rows; i++) blockActivation(cRow + jr + (long)i * ldc, cRow + jr + (long)i * ldc, cols);
                            }
                        }
                        ir += rows;
                    }
                }
            }
        }
    }

    private static void StoreEdge(float* tile, int nr, float* c, int ldc, int rows, int cols, bool add, float* bias)
    {
        for (int i = 0; i < rows; i++)
        {
            float* src = tile + i * nr;
            float* dst = c + (long)i * ldc;
            for (int j = 0; j < cols; j++) dst[j] = add ? dst[j] + src[j] : bias != null ? src[j] + bias[j] : src[j];
        }
    }

    /// <summary>
    /// Columns of B as <see cref="PackAll"/> lays them out: n rounded up to whole NR-column panels.
    /// </summary>
    public static int PackedWidth(int n) => (n + TKernel.NR - 1) / TKernel.NR * TKernel.NR;

    /// <summary>
    /// Packs all of op(B) (k, n) into <paramref name="dst"/> (k · <see cref="PackedWidth"/> floats): KC-row blocks one
    /// after another, each as the NR-column panels that <see cref="RunRectangle"/> would pack for it, so that block
    /// (pc, jc) starts at pc·width + jc·kc.
    /// </summary>
    public static void PackAll(float* b, int ldb, bool transB, int k, int n, float* dst)
    {
        int width = PackedWidth(n);
        for (int pc = 0; pc < k; pc += KC)
            GemmPacking.PackB(b, ldb, transB, pc, Math.Min(KC, k - pc), 0, n, TKernel.NR, dst + (long)pc * width);
    }

    /// <summary>Splits C among <paramref name="workers"/> threads along its longer side, in whole micro-tiles.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate, int workers, float* packed = null, float* bias = null, delegate*<float*, float*, int, void> activation = null)
    {
        int width = packed == null ? 0 : PackedWidth(n);
        if (workers <= 1)
        {
            RunRectangle(transA, transB, k, a, lda, b, ldb, c, ldc, accumulate, 0, m, 0, n, packed, width, bias, activation);
            return;
        }
        bool splitRows = m >= n;
        int unit = splitRows ? TKernel.MR : TKernel.NR;
        int extent = splitRows ? m : n;
        int tiles = (extent + unit - 1) / unit;
        nint ap = (nint)a, bp = (nint)b, cp = (nint)c, pp = (nint)packed, biasp = (nint)bias, act = (nint)activation;
        Parallelism.Run(tiles, workers, (start, end) =>
        {
            int lo = start * unit, hi = Math.Min(end * unit, extent);
            if (lo >= hi) return;
            if (splitRows)
                RunRectangle(transA, transB, k, (float*)ap, lda, (float*)bp, ldb, (float*)cp, ldc, accumulate, lo, hi, 0, n, (float*)pp, width, (float*)biasp, (delegate*<float*, float*, int, void>)act);
            else
                RunRectangle(transA, transB, k, (float*)ap, lda, (float*)bp, ldb, (float*)cp, ldc, accumulate, 0, m, lo, hi, (float*)pp, width, (float*)biasp, (delegate*<float*, float*, int, void>)act);
        });
    }
}
