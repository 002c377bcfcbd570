// The one ISA choice: the path is the widest accelerated width, the GEMM tile follows it, the FMA-peak probe runs at
// it, and the L2 size the GEMM blocks for is parsed from sysfs's notation.
using System.Runtime.Intrinsics;
using Attend.Kernels.Blas;
using Attend.Kernels.Simd;

namespace Attend.Kernels.Tests;

public class IsaTests
{
    [Fact]
    public void ThePathIsTheWidestAcceleratedWidthAndTheGemmTileFollowsIt()
    {
        var expected = Vector512.IsHardwareAccelerated ? VectorPath.Vector512 : Vector256.IsHardwareAccelerated ? VectorPath.Vector256
            : Vector128.IsHardwareAccelerated ? VectorPath.Vector128 : VectorPath.Scalar;
        Assert.Equal(expected, Isa.Path);
        Assert.Equal(expected switch { VectorPath.Vector512 => 16, VectorPath.Vector256 => 8, VectorPath.Vector128 => 4, _ => 1 }, Isa.Lanes);
        Assert.True(Gemm.IsAccelerated(Gemm.Best), $"{Gemm.Best} chosen on {Isa.Describe()}");
        Assert.Equal(expected == VectorPath.Scalar, Gemm.Best == GemmKernel.Scalar);
    }

    [Fact]
    public void WidthKernelsRunAtThePathsLaneCount()
    {
        var probe = new LaneProbe();
        Isa.Run(ref probe);
        Assert.Equal(Isa.Lanes, probe.Lanes);
    }

    [Fact]
    public void FmaPeakIsPositiveAndFinite()
    {
        double gflops = FmaPeak.Measure(1, seconds: 0.01, repeats: 1);
        Assert.True(gflops > 0 && double.IsFinite(gflops), $"{gflops}");
    }

    [Theory]
    [InlineData("1024K\n", 1024L * 1024)]
    [InlineData("2M", 2L * 1024 * 1024)]
    [InlineData("512", 512L)]
    [InlineData("", null)]
    [InlineData("K", null)]
    [InlineData("-4K", null)]
    [InlineData("lots", null)]
    public void CacheSizesParseSysfsNotation(string text, long? bytes) => Assert.Equal(bytes, CacheSizes.ParseSize(text));

    private struct LaneProbe : IWidthKernel
    {
        public int Lanes;
        public void Run<S, V>() where S : struct, ISimd<V> where V : struct => Lanes = S.Count;
    }
}
