// The scaler sees training rows only: changing validation/test values cannot change it (no leakage); constant columns
// scale by 1 (sklearn); Inverse undoes Transform.
using Attend.Data;
using Attend.Tensors;

namespace Attend.Tests.Data;

public class StandardScalerTests
{
    private static float[] Values(int rows, int columns, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows * columns).Select(i => i % columns == 2 ? 5f : 3f * rng.Normal() + i % columns).ToArray();
    }

    [Fact]
    public void FitsOnTrainingRowsOnly()
    {
        var values = Values(100, 3, 1);
        var train = new RowRange(0, 60);
        var scaler = StandardScaler.Fit(values, 3, train);
        var leaked = (float[])values.Clone();
        for (int i = 60 * 3; i < leaked.Length; i++) leaked[i] = 1000f + leaked[i] * 50f; // a regime change after training
        var again = StandardScaler.Fit(leaked, 3, train);
        Assert.Equal(scaler.Mean, again.Mean);
        Assert.Equal(scaler.Std, again.Std);
        var all = StandardScaler.Fit(leaked, 3, new RowRange(0, 100));
        Assert.NotEqual(scaler.Mean[0], all.Mean[0]);
    }

    [Fact]
    public void StandardisesTrainingRowsAndInverts()
    {
        var values = Values(80, 3, 2);
        var scaler = StandardScaler.Fit(values, 3, new RowRange(0, 50));
        var z = scaler.Transform(values);
        for (int c = 0; c < 2; c++)
        {
            var col = Enumerable.Range(0, 50).Select(r => (double)z[r * 3 + c]).ToArray();
            Assert.InRange(col.Average(), -1e-5, 1e-5);
            Assert.InRange(Math.Sqrt(col.Select(v => v * v).Average()), 1 - 1e-4, 1 + 1e-4);
        }
        Assert.Equal(1f, scaler.Std[2]); // the constant column
        var back = scaler.Inverse(z);
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i], back[i], 1e-4f);
    }
}
