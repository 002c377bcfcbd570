// Layer normalisation over the last dimension, forward and backward (llm.c layernorm_forward/backward).
// y = (x − μ)·rstd·w + b with the biased variance computed in two passes (robust to large offsets), rstd = 1/√(σ²+ε).
// Rows are split across workers; dw and db are reduced per column range so each column has one owner. Written once
// over the vector width (ISimd); Isa.Run picks the width.
using Attend.Kernels.Simd;

namespace Attend.Kernels.Normalization;

/// <summary>Layer norm kernels.</summary>
public static unsafe class LayerNorm
{
    /// <summary>
    /// x: (rows, cols), weight, bias: (cols) or empty for none → y: (rows, cols), mean, rstd: (rows).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int cols, float eps) =>
        Forward(x, default, weight, bias, y, mean, rstd, rows, cols, eps);

    /// <summary>
    /// As <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, int, float)"/>
    /// of x + <paramref name="residual"/> (rows, cols), or of x alone when it is empty: each row's sum is written to y
    /// and normalised there while it is in cache (a Transformer's residual add and layer norm in one pass).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, Span<float> mean, Span<float> rstd, int rows, int cols, float eps)
    {
        long need = (long)rows * cols;
        if (x.Length < need || y.Length < need || (!residual.IsEmpty && residual.Length < need) || mean.Length < rows || rstd.Length < rows)
            throw new ArgumentException($"layer norm: spans shorter than ({rows}, {cols})");
        fixed (float* xp = x, sp = residual, wp = weight, bp = bias, yp = y, mp = mean, rp = rstd)
        {
            var kernel = new ForwardKernel
            {
                X = (nint)xp, Residual = residual.IsEmpty ? 0 : (nint)sp, W = weight.Length > 0 ? (nint)wp : 0, B = bias.Length > 0 ? (nint)bp : 0,
                Y = (nint)yp, Mean = (nint)mp, Rstd = (nint)rp, Rows = rows, Cols = cols, Eps = eps,
            };
            Isa.Run(ref kernel);
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
            var kernel = new BackwardKernel
            {
                Dy = (nint)gp, X = (nint)xp, W = weight.Length > 0 ? (nint)wp : 0, Mean = (nint)mp, Rstd = (nint)rp,
                Dx = dx.Length > 0 ? (nint)dxp : 0, Dw = dweight.Length > 0 ? (nint)dwp : 0, Db = dbias.Length > 0 ? (nint)dbp : 0,
                Partial = wantParams ? (nint)pp : 0, Rows = rows, Cols = cols, Blocks = blocks, AccumulateDx = accumulateDx,
            };
            Isa.Run(ref kernel);
        }
    }

    private struct ForwardKernel : IWidthKernel
    {
        public nint X, Residual, W, B, Y, Mean, Rstd;
        public int Rows, Cols;
        public float Eps;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint xa = X, sa = Residual, wa = W, ba = B, ya = Y, ma = Mean, ra = Rstd;
            int cols = Cols;
            float eps = Eps;
            Parallelism.For(Rows, cols * 6L, (s, e) =>
            {
                if (sa == 0)
                {
                    ForwardRows<S, V>((float*)xa, (float*)wa, (float*)ba, (float*)ya, (float*)ma, (float*)ra, s, e, cols, eps);
                    return;
                }
                for (int r = s; r < e; r++)   // one row's sum is normalised while it is in L1
                {
                    AddRows<S, V>((float*)xa, (float*)sa, (float*)ya, r, r + 1, cols);
                    ForwardRows<S, V>((float*)ya, (float*)wa, (float*)ba, (float*)ya, (float*)ma, (float*)ra, r, r + 1, cols, eps);
                }
            });
        }
    }

    // y = x + residual over rows [start, end) (exactly rounded sums, as the elementwise Add gives)
    private static void AddRows<S, V>(float* x, float* residual, float* y, int start, int end, int cols) where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count;
        for (long i = (long)start * cols, stop = (long)end * cols; i < stop;)
        {
            if (i + lanes <= stop)
            {
                S.Store(S.Add(S.Load(x + i), S.Load(residual + i)), y + i);
                i += lanes;
            }
            else
            {
                y[i] = x[i] + residual[i];
                i++;
            }
        }
    }

    private struct BackwardKernel : IWidthKernel
    {
        public nint Dy, X, W, Mean, Rstd, Dx, Dw, Db, Partial;
        public int Rows, Cols, Blocks;
        public bool AccumulateDx;

        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : struct
        {
            nint ga = Dy, xa = X, wa = W, ma = Mean, ra = Rstd, dxa = Dx, pa = Partial;
            int rows = Rows, cols = Cols, blocks = Blocks;
            bool accumulateDx = AccumulateDx;
            Parallelism.For(blocks, (long)ParamBlockRows * cols * 8, (s, e) =>
            {
                for (int blk = s; blk < e; blk++)
                {
                    int r0 = blk * ParamBlockRows, r1 = Math.Min(rows, r0 + ParamBlockRows);
                    float* part = pa == 0 ? null : (float*)pa + (long)blk * 2 * cols;
                    if (dxa != 0) InputGradRows<S, V>((float*)ga, (float*)xa, (float*)wa, (float*)ma, (float*)ra, (float*)dxa, part, r0, r1, cols, accumulateDx);
                    else PartialParamGrad<S, V>((float*)ga, (float*)xa, (float*)ma, (float*)ra, part, r0, r1, cols);
                }
            });
            if (pa == 0) return;
            nint dwa = Dw, dba = Db;
            int colBlocks = (cols + 15) / 16;
            Parallelism.For(colBlocks, blocks * 32L, (s, e) =>
                SumPartials<S, V>((float*)pa, (float*)dwa, (float*)dba, blocks, cols, s * 16, Math.Min(e * 16, cols)));
        }
    }

    private static void ForwardRows<S, V>(float* x, float* w, float* b, float* y, float* mean, float* rstd, int start, int end, int cols, float eps)
        where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count;
        for (int r = start; r < end; r++)
        {
            float* xr = x + (long)r * cols, yr = y + (long)r * cols;
            float mu = Elementwise.Sum<S, V>(xr, cols) / cols;
            float var = SumSquaredDeviation<S, V>(xr, cols, mu) / cols;
            float rs = 1f / MathF.Sqrt(var + eps);
            int j = 0;
            var vm = S.Splat(mu);
            var vr = S.Splat(rs);
            for (; j <= cols - lanes; j += lanes)
            {
                var v = S.Mul(S.Sub(S.Load(xr + j), vm), vr);
                if (w != null) v = S.Mul(v, S.Load(w + j));
                if (b != null) v = S.Add(v, S.Load(b + j));
                S.Store(v, yr + j);
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

    private static float SumSquaredDeviation<S, V>(float* x, int n, float mu) where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count, j = 0;
        float total = 0f;
        if (n >= lanes)
        {
            var vm = S.Splat(mu);
            var acc = S.Zero;
            for (; j <= n - lanes; j += lanes)
            {
                var d = S.Sub(S.Load(x + j), vm);
                acc = S.MulAdd(d, d, acc);
            }
            total = S.Sum(acc);
        }
        for (; j < n; j++)
        {
            float d = x[j] - mu;
            total += d * d;
        }
        return total;
    }

    // dx rows of [start, end) and, when part is not null, the block's weight/bias partial sums in the same pass (the
    // second pass over a row already has dy and x̂ at hand): part[0..cols) += dy·x̂, part[cols..2cols) += dy, rows in order.
    private static void InputGradRows<S, V>(float* dy, float* x, float* w, float* mean, float* rstd, float* dx, float* part, int start, int end, int cols, bool accumulate)
        where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count;
        float* pw = part, pb = part + cols;
        if (part != null) new Span<float>(part, 2 * cols).Clear();
        for (int r = start; r < end; r++)
        {
            float* g = dy + (long)r * cols, xr = x + (long)r * cols, d = dx + (long)r * cols;
            float mu = mean[r], rs = rstd[r];
            var vm = S.Splat(mu);
            var vr = S.Splat(rs);
            V accG = S.Zero, accGx = S.Zero;
            int j = 0;
            for (; j <= cols - lanes; j += lanes)
            {
                var gw = S.Load(g + j);
                if (w != null) gw = S.Mul(gw, S.Load(w + j));
                accG = S.Add(accG, gw);
                accGx = S.MulAdd(gw, S.Mul(S.Sub(S.Load(xr + j), vm), vr), accGx);
            }
            float sumG = S.Sum(accG), sumGx = S.Sum(accGx);
            for (; j < cols; j++)
            {
                float gw = w != null ? g[j] * w[j] : g[j];
                sumG += gw;
                sumGx += gw * (xr[j] - mu) * rs;
            }
            float meanG = sumG / cols, meanGx = sumGx / cols;
            var vmg = S.Splat(meanG);
            var vmgx = S.Splat(meanGx);
            for (j = 0; j <= cols - lanes; j += lanes)
            {
                var gv = S.Load(g + j);
                var gw = w != null ? S.Mul(gv, S.Load(w + j)) : gv;
                var xhat = S.Mul(S.Sub(S.Load(xr + j), vm), vr);
                var v = S.Mul(vr, S.Sub(S.Sub(gw, vmg), S.Mul(xhat, vmgx)));
                S.Store(accumulate ? S.Add(S.Load(d + j), v) : v, d + j);
                if (part != null)
                {
                    S.Store(S.MulAdd(gv, xhat, S.Load(pw + j)), pw + j);
                    S.Store(S.Add(S.Load(pb + j), gv), pb + j);
                }
            }
            for (; j < cols; j++)
            {
                float gw = w != null ? g[j] * w[j] : g[j];
                float xhat = (xr[j] - mu) * rs;
                d[j] = (accumulate ? d[j] : 0f) + rs * (gw - meanG - xhat * meanGx);
                if (part != null)
                {
                    pw[j] = MathF.FusedMultiplyAdd(g[j], xhat, pw[j]);
                    pb[j] += g[j];
                }
            }
        }
    }

    // part[0..cols) = Σ_r dy[r, :]·x̂[r, :], part[cols..2cols) = Σ_r dy[r, :] over the rows [start, end), in row order
    // (when no dx is wanted; otherwise InputGradRows sums them in its second pass, in the same order).
    private static void PartialParamGrad<S, V>(float* dy, float* x, float* mean, float* rstd, float* part, int start, int end, int cols)
        where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count;
        float* pw = part, pb = part + cols;
        new Span<float>(part, 2 * cols).Clear();
        for (int r = start; r < end; r++)
        {
            float* g = dy + (long)r * cols, xr = x + (long)r * cols;
            float mu = mean[r], rs = rstd[r];
            var vm = S.Splat(mu);
            var vr = S.Splat(rs);
            int j = 0;
            for (; j <= cols - lanes; j += lanes)
            {
                var gv = S.Load(g + j);
                S.Store(S.MulAdd(gv, S.Mul(S.Sub(S.Load(xr + j), vm), vr), S.Load(pw + j)), pw + j);
                S.Store(S.Add(S.Load(pb + j), gv), pb + j);
            }
            for (; j < cols; j++)
            {
                pw[j] = MathF.FusedMultiplyAdd(g[j], (xr[j] - mu) * rs, pw[j]);
                pb[j] += g[j];
            }
        }
    }

    // dweight[j] += Σ_blocks part[blk][j], dbias[j] += Σ_blocks part[blk][cols + j] for j in [start, end), blocks in order.
    private static void SumPartials<S, V>(float* partial, float* dw, float* db, int blocks, int cols, int start, int end)
        where S : struct, ISimd<V> where V : struct
    {
        int lanes = S.Count;
        for (int blk = 0; blk < blocks; blk++)
        {
            float* pw = partial + (long)blk * 2 * cols, pb = pw + cols;
            int j = start;
            for (; j <= end - lanes; j += lanes)
            {
                if (dw != null) S.Store(S.Add(S.Load(dw + j), S.Load(pw + j)), dw + j);
                if (db != null) S.Store(S.Add(S.Load(db + j), S.Load(pb + j)), db + j);
            }
            for (; j < end; j++)
            {
                if (dw != null) dw[j] += pw[j];
                if (db != null) db[j] += pb[j];
            }
        }
    }
}
