// Windowing against hand-computed cases with Keras timeseries_dataset_from_array semantics: stride, sampling rate,
// start/end index, target offsets and the edges (a window that just fits, a series too short for any).
using Attend.Data;

namespace Attend.Tests.Data;

public class TimeSeriesWindowsTests
{
    [Fact]
    public void StrideAndSamplingRateFollowKeras()
    {
        // 10 rows, 3 samples every 2 rows span 5 rows → starts 0..5; every 3rd → 0, 3
        var w = TimeSeriesWindows.Create(10, sequenceLength: 3, sequenceStride: 3, samplingRate: 2);
        Assert.Equal([0, 3], w.Starts);
        Assert.Equal([3, 5, 7], w.Rows(1));
    }

    [Fact]
    public void StartAndEndIndexBoundTheWindows()
    {
        // Keras: data[2:9] with sequence_length 4 → 7 − 3 = 4 windows starting at rows 2, 3, 4, 5
        var w = TimeSeriesWindows.Create(12, sequenceLength: 4, startIndex: 2, endIndex: 9);
        Assert.Equal([2, 3, 4, 5], w.Starts);
        Assert.Equal([5, 6, 7, 8], w.Rows(3));
        Assert.True(w.Rows(w.Count - 1)[^1] < 9);
    }

    [Fact]
    public void ATargetOffsetCapsTheCountAsShiftedTargetsDo()
    {
        // Keras idiom: targets = data[5:] for 8 rows → 3 targets, so only 3 windows of length 2 (7 would fit)
        var w = TimeSeriesWindows.Create(8, sequenceLength: 2, targetOffset: 5);
        Assert.Equal([0, 1, 2], w.Starts);
        Assert.Equal(7, w.TargetRow(2));
    }

    [Fact]
    public void EdgesGiveOneWindowOrNone()
    {
        Assert.Equal([0], TimeSeriesWindows.Create(5, sequenceLength: 5).Starts);
        Assert.Equal([0], TimeSeriesWindows.Create(9, sequenceLength: 5, samplingRate: 2).Starts);
        Assert.Empty(TimeSeriesWindows.Create(4, sequenceLength: 5).Starts);
        Assert.Empty(TimeSeriesWindows.Create(8, sequenceLength: 5, samplingRate: 2).Starts);
        Assert.Empty(TimeSeriesWindows.Create(10, sequenceLength: 1, startIndex: 4, endIndex: 4).Starts);
    }

    [Fact]
    public void ForecastWindowsMatchTheEttBenchmarkCount()
    {
        // test rows [11520 − 336, 14400) with L = 336, H = 96: len − L − H + 1 = 2785 windows (the benchmark's loader)
        var w = TimeSeriesWindows.Create(17420, 336 + 96, startIndex: 11520 - 336, endIndex: 14400);
        Assert.Equal(2785, w.Count);
        Assert.Equal(14399, w.Rows(w.Count - 1)[^1]);
    }

    [Theory]
    [InlineData(0, 1, 1, 0)]
    [InlineData(3, 0, 1, 0)]
    [InlineData(3, 1, 0, 0)]
    [InlineData(3, 1, 1, 11)]
    [InlineData(3, 1, 1, -1)]
    public void BadArgumentsAreRejected(int length, int stride, int rate, int start) =>
        Assert.Throws<ArgumentException>(() => TimeSeriesWindows.Create(10, length, stride, rate, start));
}
