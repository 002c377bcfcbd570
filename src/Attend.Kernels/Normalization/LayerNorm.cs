// Layer normalisation over the last dimension, forward and backward (llm.c layernorm_forward/backward).
// y = (x − μ)·rstd·w + b with the biased variance computed in two passes (robust to large offsets), rstd = 1/√(σ²+ε).
// Rows are split across workers; dw and db are reduced per column range so each column has one owner.
namespace Attend.Kernels.Normalization;

/// <summary>Layer norm kernels.</summary>
public static class LayerNorm
{
    /// <summary>
    /// x: (rows, cols), weight, bias: (cols) or empty for none → y: (rows, cols), mean, rstd: (rows).
    /// </summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int cols, float eps)
    {
        fixed (float* xp = x, wp = weight, bp = bias, yp = y, mp = mean, rp = rstd)
        {
            nint xa = (nint)xp, wa = (nint)wp, ba = (nint)bp, ya = (nint)yp, ma = (nint)mp, ra = (nint)rp;
            bool hasW = weight.Length > 0, hasB = bias.Length > 0;
            Parallelism.For(rows, cols * 6L, (s, e) =>
            {
                for (int r = s; r < e; r++)
                {
                    var xr = new ReadOnlySpan<float>((float*)xa + (long)r * cols, cols);
                    var yr = new Span<float>((float*)ya + (long)r * cols, cols);
                    float mu = Simd.Elementwise.Sum(xr) / cols;
                    double ss = 0;
                    for (int j = 0; j < cols; j++)
                    {
                        float d = xr[j] - mu;
                        ss += d * d;
                    }
                    float rs = 1f / MathF.Sqrt((float)(ss / cols) + eps);
                    for (int j = 0; j < cols; j++)
                    {
                        float v = (xr[j] - mu) * rs;
                        if (hasW) v *= ((float*)wa)[j];
                        if (hasB) v += ((float*)ba)[j];
                        yr[j] = v;
                    }
                    ((float*)ma)[r] = mu;
                    ((float*)ra)[r] = rs;
                }
            });
        }
    }

    /// <summary>
    /// Accumulates dx += ∂L/∂x, dweight += Σ dy·x̂, dbias += Σ dy. dy, x, dx: (rows, cols); weight: (cols) or empty;
    /// mean, rstd: (rows) from <see cref="Forward"/>; dweight/dbias: (cols) or empty to skip.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int cols)
    {
        fixed (float* gp = dy, xp = x, wp = weight, mp = mean, rp = rstd, dxp = dx, dwp = dweight, dbp = dbias)
        {
            nint ga = (nint)gp, xa = (nint)xp, wa = (nint)wp, ma = (nint)mp, ra = (nint)rp, dxa = (nint)dxp, dwa = (nint)dwp, dba = (nint)dbp;
            bool hasW = weight.Length > 0;
            if (dx.Length > 0)
            {
                Parallelism.For(rows, cols * 8L, (s, e) =>
                {
                    for (int r = s; r < e; r++)
                    {
                        float* g = (float*)ga + (long)r * cols, xr = (float*)xa + (long)r * cols, d = (float*)dxa + (long)r * cols;
                        float mu = ((float*)ma)[r], rs = ((float*)ra)[r];
                        double sumG = 0, sumGx = 0;
                        for (int j = 0; j < cols; j++)
                        {
                            float gw = hasW ? g[j] * ((float*)wa)[j] : g[j];
                            sumG += gw;
                            sumGx += gw * (xr[j] - mu) * rs;
                        }
                        float meanG = (float)(sumG / cols), meanGx = (float)(sumGx / cols);
                        for (int j = 0; j < cols; j++)
                        {
                            float gw = hasW ? g[j] * ((float*)wa)[j] : g[j];
                            float xhat = (xr[j] - mu) * rs;
                            d[j] += rs * (gw - meanG - xhat * meanGx);
                        }
                    }
                });
            }
            if (dweight.Length == 0 && dbias.Length == 0) return;
            bool wantW = dweight.Length > 0, wantB = dbias.Length > 0;
            Parallelism.For(cols, rows * 4L, (s, e) =>
            {
                for (int r = 0; r < rows; r++)
                {
                    float* g = (float*)ga + (long)r * cols, xr = (float*)xa + (long)r * cols;
                    float mu = ((float*)ma)[r], rs = ((float*)ra)[r];
                    for (int j = s; j < e; j++)
                    {
                        if (wantW) ((float*)dwa)[j] += g[j] * (xr[j] - mu) * rs;
                        if (wantB) ((float*)dba)[j] += g[j];
                    }
                }
            });
        }
    }
}
