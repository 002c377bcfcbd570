// The register-blocked inner kernel of the packed GEMM: one MR×NR tile of C from an MR-row panel of packed A and an
// NR-column panel of packed B (Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication", §4).
namespace Attend.Kernels.Blas;

/// <summary>A micro-kernel computing one full MR×NR tile: C (+)= Apanel · Bpanel.</summary>
internal interface IMicroKernel
{
    /// <summary>Rows of the C tile (rows of an A micro-panel).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile (columns of a B micro-panel).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// a: packed (kc, MR) column panel; b: packed (kc, NR) row panel; c: MR rows of NR floats with row stride ldc.
    /// When <paramref name="add"/> is true the product is added to C, else C is overwritten with it, plus the NR floats
    /// at <paramref name="bias"/> in every row when that is not null (a Linear layer's bias, added where the tile is
    /// stored instead of written into C beforehand).
    /// </summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias);

    /// <summary>
    /// <paramref name="rows"/> rows (1 ≤ rows &lt; MR) of a tile like <see cref="Run"/>'s, with the same sums, from an A
    /// panel packed <paramref name="stride"/> rows wide (rows ≤ stride ≤ MR): the bottom edge of C, or one of the two
    /// balanced tiles the driver makes of a last full panel and a thin remainder.
    /// </summary>
    static abstract unsafe void RunRows(int rows, int stride, int kc, float* a, float* b, float* c, int ldc, bool add, float* bias);
}
