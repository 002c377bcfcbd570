// Seeded random inputs and a relative tolerance check shared by the kernel tests.
namespace Attend.Kernels.Tests;

internal static class TestData
{
    public static float[] Random(int seed, int count, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(lo + (hi - lo) * r.NextDouble());
        return x;
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float rtol, float atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) || float.IsInfinity(e))
            {
                Assert.True(e.Equals(a), $"{what}: element {i}: expected {e}, got {a}");
                continue;
            }
            Assert.True(Math.Abs(e - a) <= atol + rtol * Math.Abs(e), $"{what}: element {i}: expected {e}, got {a}");
        }
    }
}
