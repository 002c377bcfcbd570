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

    /// <summary>
    /// Accumulates dx += ∂L/∂x, dweight += Σ dy·x̂, dbias += Σ dy. dy, x, dx: (rows, cols); weight: (cols) or empty;
    /// mean, rstd: (rows) from <see cref="Forward"/>; dx, dweight, dbias may be empty to skip them.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int cols)
    {
        fixed (float* gp = dy, xp = x, wp = weight, mp = mean, rp = rstd, dxp = dx, dwp = dweight, dbp = dbias)
        {
            nint ga = (nint)gp, xa = (nint)xp, wa = weight.Length > 0 ? (nint)wp : 0, ma = (nint)mp, ra = (nint)rp;
            nint dxa = (nint)dxp, dwa = dweight.Length > 0 ? (nint)dwp : 0, dba = dbias.Length > 0 ? (nint)dbp : 0;
            if (dx.Length > 0)
                Parallelism.For(rows, cols * 8L, (s, e) => InputGradRows((float*)ga, (float*)xa, (float*)wa, (float*)ma, (float*)ra, (float*)dxa, s, e, cols));
            if (dwa != 0 || dba != 0)
                Parallelism.For(cols, rows * 4L, (s, e) => ParamGradColumns((float*)ga, (float*)xa, (float*)ma, (float*)ra, (float*)dwa, (float*)dba, s, e, rows, cols));
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

    private static void InputGradRows(float* dy, float* x, float* w, float* mean, float* rstd, float* dx, int start, int end, int cols)
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
                    (Vector512.Load(d + j) + vr * (gw - vmg - xhat * vmgx)).Store(d + j);
                }
            }
            for (; j < cols; j++)
            {
                float gw = w != null ? g[j] * w[j] : g[j];
                float xhat = (xr[j] - mu) * rs;
                d[j] += rs * (gw - meanG - xhat * meanGx);
            }
        }
    }

    private static void ParamGradColumns(float* dy, float* x, float* mean, float* rstd, float* dw, float* db, int start, int end, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            float* g = dy + (long)r * cols, xr = x + (long)r * cols;
            float mu = mean[r], rs = rstd[r];
            for (int j = start; j < end; j++)
            {
                if (dw != null) dw[j] += g[j] * (xr[j] - mu) * rs;
                if (db != null) db[j] += g[j];
            }
        }
    }
}
