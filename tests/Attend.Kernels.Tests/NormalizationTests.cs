// Softmax, log-softmax and layer norm kernels against double-precision references: every row length 0..257,
// special values (−inf, logits near 1000, fully masked rows), offsets that break E[x²]−E[x]², and thread invariance.
using Attend.Kernels.Normalization;

namespace Attend.Kernels.Tests;

public class NormalizationTests
{
    [Fact]
    public void SoftmaxAndLogSoftmaxMatchReferenceForEveryRowLength()
    {
        for (int cols = 1; cols <= 257; cols++)
        {
            const int rows = 3;
            var x = TestData.Random(cols, rows * cols, -10f, 10f);
            foreach (bool log in new[] { false, true })
            {
                var expected = new float[x.Length];
                var actual = new float[x.Length];
                SoftmaxReference.Forward(x, expected, rows, cols, log);
                if (log) Softmax.LogForward(x, actual, rows, cols);
                else Softmax.Forward(x, actual, rows, cols);
                TestData.Close(expected, actual, 1e-5f, 1e-6f, $"{(log ? "log_" : "")}softmax cols={cols}");
            }
        }
    }

    [Fact]
    public void SoftmaxHandlesInfinitiesLargeLogitsAndFullyMaskedRows()
    {
        float ninf = float.NegativeInfinity;
        float[] x = [1000f, 999f, ninf, 998f, /* fully masked: */ ninf, ninf, ninf, ninf];
        var y = new float[8];
        Softmax.Forward(x, y, 2, 4);
        TestData.Close([0.66524096f, 0.24472848f, 0f, 0.09003057f], y.AsSpan(0, 4), 1e-6f, 1e-7f, "large logits");
        Assert.All(y.AsSpan(4).ToArray(), v => Assert.True(float.IsNaN(v), "a fully masked row is NaN, as in PyTorch"));
        Softmax.LogForward(x, y, 2, 4);
        Assert.Equal(ninf, y[2]);
    }

    [Fact]
    public void SoftmaxBackwardMatchesFiniteDifferences()
    {
        const int rows = 2, cols = 37;
        var x = TestData.Random(1, rows * cols, -3f, 3f);
        var dy = TestData.Random(2, rows * cols);
        foreach (bool log in new[] { false, true })
        {
            var y = new float[x.Length];
            var dx = new float[x.Length];
            if (log) { Softmax.LogForward(x, y, rows, cols); Softmax.LogBackward(y, dy, dx, rows, cols); }
            else { Softmax.Forward(x, y, rows, cols); Softmax.Backward(y, dy, dx, rows, cols); }
            for (int i = 0; i < x.Length; i += 5)
            {
                double Loss(float delta)
                {
                    var xp = (float[])x.Clone();
                    xp[i] += delta;
                    var yp = new double[x.Length];
                    var tmp = new float[x.Length];
                    SoftmaxReference.Forward(xp, tmp, rows, cols, log);
                    double s = 0;
                    for (int j = 0; j < x.Length; j++) s += tmp[j] * (double)dy[j];
                    return s;
                }
                double num = (Loss(1e-2f) - Loss(-1e-2f)) / 2e-2;
                Assert.True(Math.Abs(num - dx[i]) < 1e-3 + 1e-2 * Math.Abs(num), $"{(log ? "log_" : "")}softmax dx[{i}]: numeric {num}, analytic {dx[i]}");
            }
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(30f)]
    [InlineData(1000f)]
    public void LayerNormMatchesReferenceIncludingLargeOffsets(float offset)
    {
        foreach (int cols in new[] { 1, 5, 16, 17, 64, 255, 256, 257 })
        {
            const int rows = 5;
            var x = TestData.Random(cols, rows * cols).Select(v => v + offset).ToArray();
            var w = TestData.Random(cols + 1, cols, 0.5f, 1.5f);
            var b = TestData.Random(cols + 2, cols);
            var dy = TestData.Random(cols + 3, rows * cols);
            var expY = new float[x.Length];
            var expDx = new float[x.Length];
            var expDw = new float[cols];
            var expDb = new float[cols];
            LayerNormReference.Forward(x, w, b, expY, rows, cols, 1e-5f);
            LayerNormReference.Backward(dy, x, w, expDx, expDw, expDb, rows, cols, 1e-5f);
            var y = new float[x.Length];
            var mean = new float[rows];
            var rstd = new float[rows];
            var dx = new float[x.Length];
            var dw = new float[cols];
            var db = new float[cols];
            LayerNorm.Forward(x, w, b, y, mean, rstd, rows, cols, 1e-5f);
            LayerNorm.Backward(dy, x, w, mean, rstd, dx, dw, db, rows, cols);
            float tol = offset >= 1000f ? 5e-3f : 2e-4f; // float32 x itself carries ~6e-5 absolute error at 1000
            TestData.Close(expY, y, tol, tol, $"y cols={cols}");
            TestData.Close(expDx, dx, tol, tol * 10, $"dx cols={cols}");
            TestData.Close(expDw, dw, tol, tol, $"dw cols={cols}");
            TestData.Close(expDb, db, 1e-5f, 1e-5f, $"db cols={cols}");
        }
    }

    [Theory]
    [InlineData(1, 384)]
    [InlineData(7, 45)]
    [InlineData(3000, 64)]
    public void AResidualAddedInTheLayerNormEqualsAddingFirst(int rows, int cols)
    {
        var x = TestData.Random(rows + 1, rows * cols, -4f, 4f);
        var r = TestData.Random(rows + 2, rows * cols, -4f, 4f);
        var w = TestData.Random(rows + 3, cols);
        var b = TestData.Random(rows + 4, cols);
        var sum = new float[x.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = x[i] + r[i];
        var expected = new float[x.Length];
        LayerNorm.Forward(sum, w, b, expected, new float[rows], new float[rows], rows, cols, 1e-12f);
        foreach (int threads in new[] { 1, 2 })
        {
            int saved = Parallelism.Degree;
            Parallelism.Degree = threads;
            try
            {
                var actual = new float[x.Length];
                LayerNorm.Forward(x, r, w, b, actual, new float[rows], new float[rows], rows, cols, 1e-12f);
                Assert.Equal(expected, actual);
            }
            finally
            {
                Parallelism.Degree = saved;
            }
        }
    }

    [Fact]
    public void NormalizationKernelsAreThreadCountInvariant()
    {
        const int rows = 4096, cols = 64;
        var x = TestData.Random(3, rows * cols, -4f, 4f);
        var w = TestData.Random(4, cols);
        var b = TestData.Random(5, cols);
        var dy = TestData.Random(6, rows * cols);
        float[] Run(int threads)
        {
            int saved = Parallelism.Degree;
            Parallelism.Degree = threads;
            try
            {
                var y = new float[x.Length];
                var mean = new float[rows];
                var rstd = new float[rows];
                var dx = new float[x.Length];
                var dw = new float[cols];
                var db = new float[cols];
                LayerNorm.Forward(x, w, b, y, mean, rstd, rows, cols, 1e-5f);
                LayerNorm.Backward(dy, x, w, mean, rstd, dx, dw, db, rows, cols);
                var s = new float[x.Length];
                Softmax.Forward(x, s, rows, cols);
                return [.. y, .. dx, .. dw, .. db, .. s];
            }
            finally
            {
                Parallelism.Degree = saved;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void ScaledMaskedSoftmaxMatchesReferenceForEveryRowLengthAndMaskPeriod()
    {
        // mask rows repeat with a period of 1, 2 or all rows; a fully masked row is NaN, as PyTorch gives
        const float scale = 0.37f;
        for (int cols = 1; cols <= 130; cols++)
        {
            const int rows = 4;
            var x = TestData.Random(cols, rows * cols, -10f, 10f);
            foreach (int maskRows in new[] { 0, 1, 2, rows })
            {
                var r = new Random(cols * 7 + maskRows);
                var mask = new bool[maskRows * cols];
                for (int i = 0; i < mask.Length; i++) mask[i] = r.Next(3) == 0;
                if (maskRows == rows) Array.Fill(mask, true, 3 * cols, cols); // row 3 fully masked
                var masked = new float[x.Length];
                for (int i = 0; i < x.Length; i++)
                    masked[i] = maskRows > 0 && mask[(i / cols % maskRows) * cols + i % cols] ? float.NegativeInfinity : scale * x[i];
                var expected = new float[x.Length];
                SoftmaxReference.Forward(masked, expected, rows, cols, log: false);
                var actual = new float[x.Length];
                Softmax.ScaledMaskedForward(x, mask, actual, rows, cols, scale);
                TestData.Close(expected, actual, 1e-5f, 1e-6f, $"scaled masked softmax cols={cols} mask rows={maskRows}");
            }
        }
    }

    [Fact]
    public void ScaledSoftmaxBackwardIsTheScaledSoftmaxGradient()
    {
        const int rows = 3, cols = 41;
        const float scale = 1.7f;
        var y = new float[rows * cols];
        Softmax.Forward(TestData.Random(1, rows * cols, -3f, 3f), y, rows, cols);
        var dy = TestData.Random(2, rows * cols);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = TestData.Random(3, rows * cols);
            var expected = (float[])start.Clone();
            var plain = new float[rows * cols];
            Softmax.Backward(y, dy, plain, rows, cols, accumulate: false);
            for (int i = 0; i < expected.Length; i++) expected[i] = (accumulate ? expected[i] : 0f) + scale * plain[i];
            var actual = (float[])start.Clone();
            Softmax.ScaledBackward(y, dy, actual, rows, cols, scale, accumulate);
            TestData.Close(expected, actual, 1e-6f, 1e-7f, $"scaled backward, accumulate {accumulate}");
        }
    }

    [Fact]
    public void ScaledMaskedSoftmaxIsThreadCountInvariant()
    {
        const int rows = 300, cols = 77;
        var x = TestData.Random(9, rows * cols, -5f, 5f);
        var mask = new bool[cols * 2];
        for (int i = 0; i < mask.Length; i += 3) mask[i] = true;
        float[] Run(int threads)
        {
            int degree = Parallelism.Degree;
            try
            {
                Parallelism.Degree = threads;
                var y = new float[x.Length];
                Softmax.ScaledMaskedForward(x, mask, y, rows, cols, 0.5f);
                return y;
            }
            finally { Parallelism.Degree = degree; }
        }
        Assert.Equal(Run(1), Run(2));
    }
}
