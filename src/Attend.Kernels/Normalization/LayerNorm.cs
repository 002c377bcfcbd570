// Layer normalisation over the last dimension, forward and backward (llm.c layernorm_forward/backward).
// y = (x − μ)·rstd·w + b with the biased variance computed in two passes (robust to large offsets), rstd = 1/√(σ²+ε).
// Rows are split across workers; dw and db are reduced per column range so each column has one owner.
using System.Runtime.Intrinsics;

namespace Attend.Kernels.Normalization;

/// <summary>Layer norm kernels.</summary>
public static unsafe class LayerNorm
{
    /// <summary>
    /// x: (rows, cols), weight, bias: (cols) or empty for none → y: (rows, cols), mean, rstd: (rows).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int cols, float eps)
    {
        fixed (float* xp = x, wp = weight, bp = bias, yp = y, mp = mean, rp = rstd)
        {
            nint xa = (nint)xp, wa = weight.Length > 0 ? (nint)wp : 0, ba = bias.Length > 0 ? (nint)bp : 0, ya = (nint)yp, ma = (nint)mp, ra = (nint)rp;
            Parallelism.For(rows, cols * 6L, (s, e) => ForwardRows((float*)xa, (float*)wa, (float*)ba, (float*)ya, (float*)ma, (float*)ra, s, e, cols, eps));
        }
    }

    /// <summary>Rows per block of the weight/bias gradient: fixed, so the summation order never depends on threads.</summary>
    private const int ParamBlockRows = 32;

    /// <summary>
    /// dx (+)= ∂L/∂x, dweight += Σ dy·x̂, dbias += Σ dy. dy, x, dx: (rows, cols); weight: (cols) or empty;
    /// mean, rstd: (rows) from <see cref="Forward"/>; dx, dweight, dbias may be empty to skip them. dx is overwritten
    /// instead of added to when <paramref name="accumulateDx"/> is false.
    /// One pass over the rows: each block of <see cref="ParamBlockRows"/> rows writes its dx rows and its partial
    /// weight/bias sums, which are then added up block by block in order.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int cols,
        bool accumulateDx = true)
    {
        bool wantParams = dweight.Length > 0 || dbias.Length > 0;
        int blocks = (rows + ParamBlockRows - 1) / ParamBlockRows;
        float[] partial = wantParams ? GC.AllocateUninitializedArray<float>(blocks * 2 * cols) : [];
        fixed (float* gp = dy, xp = x, wp = weight, mp = mean, rp = rstd, dxp = dx, dwp = dweight, dbp = dbias, pp = partial)
        {
            nint ga = (nint)gp, xa = (nint)xp, wa = weight.Length > 0 ? (nint)wp : 0, ma = (nint)mp, ra = (nint)rp;
            nint dxa = dx.Length > 0 ? (nint)dxp : 0, pa = (nint)pp;
            Parallelism.For(blocks, (long)ParamBlockRows * cols * 8, (s, e) =>
            {
                for (int blk = s; blk < e; blk++)
                {
                    int r0 = blk * ParamBlockRows, r1 = Math.Min(rows, r0 + ParamBlockRows);
                    if (dxa != 0) InputGradRows((float*)ga, (float*)xa, (float*)wa, (float*)ma, (float*)ra, (float*)dxa, r0, r1, cols, accumulateDx);
                    if (pa != 0) PartialParamGrad((float*)ga, (float*)xa, (float*)ma, (float*)ra, (float*)pa + (long)blk * 2 * cols, r0, r1, cols);
                }
            });
            if (!wantParams) return;
            nint dwa = dweight.Length > 0 ? (nint)dwp : 0, dba = dbias.Length > 0 ? (nint)dbp : 0;
            int colBlocks = (cols + 15) / 16;
            Parallelism.For(colBlocks, blocks * 32L, (s, e) =>
                SumPartials((float*)pa, (float*)dwa, (float*)dba, blocks, cols, s * 16, Math.Min(e * 16, cols)));
        }
    }

    private static void ForwardRows(float* x, float* w, float* b, float* y, float* mean, float* rstd, int start, int end, int cols, float eps)
    {
        for (int r = start; r < end; r++)
        {
            float* xr = x + (long)r * cols, yr = y + (long)r * cols;
            float mu = Simd.Elementwise.Sum(new ReadOnlySpan<float>(xr, cols)) / cols;
            float var = SumSquaredDeviation(xr, cols, mu) / cols;
            float rs = 1f / MathF.Sqrt(var + eps);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(mu);
                var vr = Vector512.Create(rs);
                for (; j <= cols - 16; j += 16)
                {
                    var v = (Vector512.Load(xr + j) - vm) * vr;
                    if (w != null) v *= Vector512.Load(w + j);
                    if (b != null) v += Vector512.Load(b + j);
                    v.Store(yr + j);
                }
            }
            for (; j < cols; j++)
            {
                float v = (xr[j] - mu) * rs;
                if (w != null) v *= w[j];
                if (b != null) v += b[j];
                yr[j] = v;
            }
            mean[r] = mu;
            rstd[r] = rs;
        }
    }

    private static float SumSquaredDeviation(float* x, int n, float mu)
    {
        int j = 0;
        float total = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(mu);
            var acc = Vector512<float>.Zero;
            for (; j <= n - 16; j += 16)
            {
                var d = Vector512.Load(x + j) - vm;
                acc = Vector512.FusedMultiplyAdd(d, d, acc);
            }
            total = Vector512.Sum(acc);
        }
        for (; j < n; j++)
        {
            float d = x[j] - mu;
            total += d * d;
        }
        return total;
    }

    private static void InputGradRows(float* dy, float* x, float* w, float* mean, float* rstd, float* dx, int start, int end, int cols, bool accumulate)
    {
        for (int r = start; r < end; r++)
        {
            float* g = dy + (long)r * cols, xr = x + (long)r * cols, d = dx + (long)r * cols;
            float mu = mean[r], rs = rstd[r];
            float sumG = 0f, sumGx = 0f;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(mu);
                var vr = Vector512.Create(rs);
                Vector512<float> accG = default, accGx = default;
                for (; j <= cols - 16; j += 16)
                {
                    var gw = Vector512.Load(g + j);
                    if (w != null) gw *= Vector512.Load(w + j);
                    accG += gw;
                    accGx = Vector512.FusedMultiplyAdd(gw, (Vector512.Load(xr + j) - vm) * vr, accGx);
                }
                sumG = Vector512.Sum(accG);
                sumGx = Vector512.Sum(accGx);
            }
            for (; j < cols; j++)
            {
                float gw = w != null ? g[j] * w[j] : g[j];
                sumG += gw;
                sumGx += gw * (xr[j] - mu) * rs;
            }
            float meanG = sumG / cols, meanGx = sumGx / cols;
            j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(mu);
                var vr = Vector512.Create(rs);
                var vmg = Vector512.Create(meanG);
                var vmgx = Vector512.Create(meanGx);
                for (; j <= cols - 16; j += 16)
                {
                    var gw = Vector512.Load(g + j);
                    if (w != null) gw *= Vector512.Load(w + j);
                    var xhat = (Vector512.Load(xr + j) - vm) * vr;
                    var v = vr * (gw - vmg - xhat * vmgx);
                    (accumulate ? Vector512.Load(d + j) + v : v).Store(d + j);
                }
            }
            for (; j < cols; j++)
            {
                float gw = w != null ? g[j] * w[j] : g[j];
                float xhat = (xr[j] - mu) * rs;
                d[j] = (accumulate ? d[j] : 0f) + rs * (gw - meanG - xhat * meanGx);
            }
        }
    }

    // part[0..cols) = Σ_r dy[r, :]·x̂[r, :], part[cols..2cols) = Σ_r dy[r, :] over the rows [start, end), in row order.
    private static void PartialParamGrad(float* dy, float* x, float* mean, float* rstd, float* part, int start, int end, int cols)
    {
        float* pw = part, pb = part + cols;
        new Span<float>(part, 2 * cols).Clear();
        for (int r = start; r < end; r++)
        {
            float* g = dy + (long)r * cols, xr = x + (long)r * cols;
            float mu = mean[r], rs = rstd[r];
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(mu);
                var vr = Vector512.Create(rs);
                for (; j <= cols - 16; j += 16)
                {
                    var gv = Vector512.Load(g + j);
                    Vector512.FusedMultiplyAdd(gv, (Vector512.Load(xr + j) - vm) * vr, Vector512.Load(pw + j)).Store(pw + j);
                    (Vector512.Load(pb + j) + gv).Store(pb + j);
                }
            }
            for (; j < cols; j++)
            {
                pw[j] = MathF.FusedMultiplyAdd(g[j], (xr[j] - mu) * rs, pw[j]);
                pb[j] += g[j];
            }
        }
    }

    // dweight[j] += Σ_blocks part[blk][j], dbias[j] += Σ_blocks part[blk][cols + j] for j in [start, end), blocks in order.
    private static void SumPartials(float* partial, float* dw, float* db, int blocks, int cols, int start, int end)
    {
        for (int blk = 0; blk < blocks; blk++)
        {
            float* pw = partial + (long)blk * 2 * cols, pb = pw + cols;
            int j = start;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j <= end - 16; j += 16)
                {
                    if (dw != null) (Vector512.Load(dw + j) + Vector512.Load(pw + j)).Store(dw + j);
                    if (db != null) (Vector512.Load(db + j) + Vector512.Load(pb + j)).Store(db + j);
                }
            }
            for (; j < end; j++)
            {
                if (dw != null) dw[j] += pw[j];
                if (db != null) db[j] += pb[j];
            }
        }
    }
}
