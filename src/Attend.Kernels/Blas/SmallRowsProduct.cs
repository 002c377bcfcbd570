// C = op(A)·op(B) for a handful of rows (m ≤ 8, or m ≤ 32 when B is transposed: a decoding step, a short sentence), where packing B for the
// blocked GEMM would copy the whole matrix to use each element once. Instead each output column block is computed
// straight from B: dot products against B's rows when B is transposed (y = x·Wᵀ, the Linear layout), or
// row-broadcast FMAs along B's rows otherwise. Columns are split across workers in fixed 64-wide blocks, so results
// do not depend on the thread count. Written once over the vector width (ISimd); Isa.Run picks it.
using System.Runtime.CompilerServices;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Blas;

internal static unsafe class SmallRowsProduct
{
    /// <summary>Largest m handled here (a beam of up to 8 hypotheses per step).</summary>
    public const int MaxRows = 8;

    /// <summary>
    /// Largest m handled here when B is transposed (y = x·Wᵀ): up to a short sentence of tokens, where packing W would
    /// cost more than reading it once per three rows from L1.
    /// </summary>
    public const int MaxRowsTransposed = 32;

    /// <summary>Whether a product of m rows takes this path.</summary>
    public static bool Applies(int m, bool transB) => m <= (transB ? MaxRowsTransposed : MaxRows);

    private const int Block = 64;

    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, int threads)
    {
        // op(A) rows gathered contiguously at a 64-byte boundary (whole-vector loads never straddle cache lines):
        // x[i*k + p] = op(A)(i, p)
        var buffer = GC.AllocateUninitializedArray<float>(m * k + 16);
        fixed (float* start = buffer)
        {
            float* xp = (float*)(((nint)start + 63) & ~(nint)63);
            for (int i = 0; i < m; i++)
            {
                if (!transA) new ReadOnlySpan<float>(a + (long)i * lda, k).CopyTo(new Span<float>(xp + (long)i * k, k));
                else for (int p = 0; p < k; p++) xp[(long)i * k + p] = a[(long)p * lda + i];
            }
            int blocks = (n + Block - 1) / Block;
            var kernel = new Kernel
            {
                TransB = transB, M = m, N = n, K = k, X = (nint)xp, B = (nint)b, Ldb = ldb, C = (nint)c, Ldc = ldc, Accumulate = accumulate,
                Blocks = blocks, Workers = Math.Min(threads, Math.Max(1, (int)Math.Min(blocks, (long)m * n * k / 32_768))),
            };
            Isa.Run(ref kernel);
            GC.KeepAlive(buffer);
        }
    }

    private struct Kernel : IWidthKernel
    {
        public bool TransB, Accumulate;
        public int M, N, K, Ldb, Ldc, Blocks, Workers;
        public nint X, B, C;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xp = X, bp = B, cp = C;
            int m = M, n = N, k = K, ldb = Ldb, ldc = Ldc;
            bool transB = TransB, accumulate = Accumulate;
            if (Workers <= 1 && transB)
            {
                Dots<S, V>((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, 0, n, accumulate);
                return;
            }
            Parallelism.Run(Blocks, Workers, (s, e) =>
            {
                for (int blk = s; blk < e; blk++)
                {
                    int j0 = blk * Block, j1 = Math.Min(n, j0 + Block);
                    if (transB) Dots<S, V>((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                    else Axpys<S, V>((float*)xp, m, k, (float*)bp, ldb, (float*)cp, ldc, j0, j1, accumulate);
                }
            });
        }
    }

    // c[i, j] (+)= Σ_p x[i, p] · b[j, p] for j in [j0, j1): B stored (n, ldb). Tiles of 4 rows of B × 3 rows of x keep
    // 12 accumulators in registers, so each loaded vector of B serves 3 products and each of x serves 4; a B row block
    // stays in L1 while every x row passes over it, and the tile after next is prefetched during the first pass (B
    // comes from memory once; four row streams of a few KB are too short for the hardware prefetcher to ramp up on).
    // Each (i, j) sums its k products in one vector accumulator, lane by lane, then across the lanes, then the scalar
    // tail — the same order in every tile shape.
    private static void Dots<S, V>(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count, kv = k - k % w;
        Span<float> sums = stackalloc float[12];
        for (int j = j0; j < j1; j += 4)
        {
            int nj = Math.Min(4, j1 - j);
            float* b0 = b + (long)j * ldb, b1 = nj > 1 ? b0 + ldb : b0, b2 = nj > 2 ? b0 + 2L * ldb : b0, b3 = nj > 3 ? b0 + 3L * ldb : b0;
            float* next = j + 8 < j1 ? b0 + 8L * ldb : null;                     // the tile after next
            long nextFloats = Math.Min(4, j1 - j - 8) * (long)ldb;
            for (int i = 0; i < m; i += 3)
            {
                int ni = Math.Min(3, m - i);
                float* x0 = x + (long)i * k, x1 = ni > 1 ? x0 + k : x0, x2 = ni > 2 ? x0 + 2L * k : x0;
                if (i == 0 && next != null)
                    for (long q = 0; q < nextFloats; q += 16) Prefetch.ToL1(next + q);
                V a00 = S.Zero, a01 = S.Zero, a02 = S.Zero, a03 = S.Zero, a10 = S.Zero, a11 = S.Zero, a12 = S.Zero, a13 = S.Zero,
                    a20 = S.Zero, a21 = S.Zero, a22 = S.Zero, a23 = S.Zero;
                for (int p = 0; p < kv; p += w)
                {
                    V w0 = S.Load(b0 + p), w1 = S.Load(b1 + p), w2 = S.Load(b2 + p), w3 = S.Load(b3 + p);
                    V v = S.Load(x0 + p);
                    a00 = S.MulAdd(v, w0, a00); a01 = S.MulAdd(v, w1, a01); a02 = S.MulAdd(v, w2, a02); a03 = S.MulAdd(v, w3, a03);
                    v = S.Load(x1 + p);
                    a10 = S.MulAdd(v, w0, a10); a11 = S.MulAdd(v, w1, a11); a12 = S.MulAdd(v, w2, a12); a13 = S.MulAdd(v, w3, a13);
                    v = S.Load(x2 + p);
                    a20 = S.MulAdd(v, w0, a20); a21 = S.MulAdd(v, w1, a21); a22 = S.MulAdd(v, w2, a22); a23 = S.MulAdd(v, w3, a23);
                }
                if (kv == k && nj == 4)
                {
                    // the common case: whole vectors, a full tile of columns, results written (or added) straight out
                    float* d = c + (long)i * ldc + j;
                    Put(d, S.Sum(a00), S.Sum(a01), S.Sum(a02), S.Sum(a03), accumulate);
                    if (ni > 1) Put(d + ldc, S.Sum(a10), S.Sum(a11), S.Sum(a12), S.Sum(a13), accumulate);
                    if (ni > 2) Put(d + 2L * ldc, S.Sum(a20), S.Sum(a21), S.Sum(a22), S.Sum(a23), accumulate);
                    continue;
                }
                sums[0] = S.Sum(a00); sums[1] = S.Sum(a01); sums[2] = S.Sum(a02); sums[3] = S.Sum(a03);
                sums[4] = S.Sum(a10); sums[5] = S.Sum(a11); sums[6] = S.Sum(a12); sums[7] = S.Sum(a13);
                sums[8] = S.Sum(a20); sums[9] = S.Sum(a21); sums[10] = S.Sum(a22); sums[11] = S.Sum(a23);
                Finish<S, V>(sums, x, k, kv, b, ldb, c, ldc, i, ni, j, nj, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, float s0, float s1, float s2, float s3, bool accumulate)
    {
        if (accumulate) { d[0] += s0; d[1] += s1; d[2] += s2; d[3] += s3; }
        else { d[0] = s0; d[1] = s1; d[2] = s2; d[3] = s3; }
    }

    // a partial tile or a scalar tail of k: the lane sums plus the tail, stored one by one
    private static void Finish<S, V>(ReadOnlySpan<float> sums, float* x, int k, int kv, float* b, int ldb, float* c, int ldc, int i, int ni, int j, int nj, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        for (int ii = 0; ii < ni; ii++)
        {
            float* xi = x + (long)(i + ii) * k;
            for (int jj = 0; jj < nj; jj++)
            {
                float* row = b + (long)(j + jj) * ldb;
                float sum = sums[ii * 4 + jj];
                for (int p = kv; p < k; p++) sum = MathF.FusedMultiplyAdd(xi[p], row[p], sum);
                float* dst = c + (long)(i + ii) * ldc + j + jj;
                *dst = accumulate ? *dst + sum : sum;
            }
        }
    }

    // c[i, j0:j1] (+)= Σ_p x[i, p] · b[p, j0:j1]: B stored (k, ldb)
    private static void Axpys<S, V>(float* x, int m, int k, float* b, int ldb, float* c, int ldc, int j0, int j1, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        int w = S.Count;
        Span<float> acc = stackalloc float[Block];
        for (int i = 0; i < m; i++)
        {
            float* xi = x + (long)i * k;
            int width = j1 - j0;
            acc[..width].Clear();
            fixed (float* ap = acc)
            {
                for (int p = 0; p < k; p++)
                {
                    float s = xi[p];
                    float* row = b + (long)p * ldb + j0;
                    int j = 0;
                    var vs = S.Splat(s);
                    for (; j <= width - w; j += w) S.Store(S.MulAdd(vs, S.Load(row + j), S.Load(ap + j)), ap + j);
                    for (; j < width; j++) ap[j] = MathF.FusedMultiplyAdd(s, row[j], ap[j]);
                }
                float* dst = c + (long)i * ldc + j0;
                for (int j = 0; j < width; j++) dst[j] = accumulate ? dst[j] + ap[j] : ap[j];
            }
        }
    }
}
