// Per-window errors: each window's MSE and MAE are those of its own forecast (checked for repeat-last-value against
// errors computed here from the scaled series), they average to the part's MSE and to its drop_last MSE over the kept
// windows, the CSV names each window's first target row and dates, and the chart draws the dropped windows apart.
using System.Globalization;
using Attend.Data;
using Attend.Models;
using Attend.Tasks.Forecasting;
using Attend.Tensors;
using Attend.Tests.Models;

namespace Attend.Tests.Tasks;

public class ForecastWindowErrorsTests
{
    private const int L = 24, H = 12;

    private static (ForecastData Data, ForecastScores Scores) RepeatOnTest(int dropLastBatch)
    {
        var data = ForecastData.Create(ForecasterTests.NoisySine(), ChronologicalSplit.ByRows(600, 400, 100, 100, L), L, H);
        var repeat = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = 2, Lookback = L, Horizon = H }, new Rng(1));
        return (data, ForecastEvaluation.Evaluate(repeat, data, data.Test, dropLastBatch, batchSize: 16));
    }

    [Fact]
    public void EachWindowScoresItsOwnForecast()
    {
        var (data, scores) = RepeatOnTest(32);
        Assert.Equal(data.Test.Count, scores.MsePerWindow.Length);
        int c = data.Channels;
        for (int w = 0; w < data.Test.Count; w++)
        {
            int first = data.Test.Starts[w] + L;
            double sq = 0, abs = 0;
            for (int s = 0; s < H; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    double e = data.Scaled[(first - 1) * c + ch] - data.Scaled[(first + s) * c + ch];
                    sq += e * e;
                    abs += Math.Abs(e);
                }
            Assert.Equal(sq / (H * c), scores.MsePerWindow[w], 9);
            Assert.Equal(abs / (H * c), scores.MaePerWindow[w], 9);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(50)]
    public void WindowsAverageToThePartAndToTheKeptWindows(int dropLastBatch)
    {
        var (_, scores) = RepeatOnTest(dropLastBatch);
        Assert.Equal(scores.Mse, scores.MsePerWindow.Average(), 9);
        Assert.Equal(scores.Mae, scores.MaePerWindow.Average(), 9);
        Assert.Equal(scores.MseDropLast, scores.MsePerWindow.Take(scores.KeptWindows).Average(), 9);
        Assert.Equal(scores.MaeDropLast, scores.MaePerWindow.Take(scores.KeptWindows).Average(), 9);
    }

    [Fact]
    public void TheCsvNamesRowsDatesAndTheKeptWindows()
    {
        var (data, scores) = RepeatOnTest(32);
        var lines = ForecastWindowErrors.Csv(data, data.Test, scores).TrimEnd('\n').Split('\n');
        Assert.Equal(ForecastWindowErrors.Header, lines[0]);
        Assert.Equal(1 + data.Test.Count, lines.Length); // 100 + L rows of the test part hold 100 + L - (L + H) + 1 = 89 windows
        Assert.Equal(89, data.Test.Count);
        // the first test window's look-back is rows 476..499, its targets 500..511
        var first = lines[1].Split(',');
        Assert.Equal(["0", "500", "2020-01-21 20:00:00", "2020-01-22 07:00:00"], first[..4]);
        Assert.Equal(scores.MsePerWindow[0], double.Parse(first[4], CultureInfo.InvariantCulture), 7);
        Assert.Equal("1", first[6]);
        var last = lines[^1].Split(',');
        Assert.Equal(["88", "588"], last[..2]);
        Assert.Equal(32 * 2, lines.Skip(1).Count(l => l.EndsWith(",1", StringComparison.Ordinal)));
        Assert.Equal(89 - 64, lines.Skip(1).Count(l => l.EndsWith(",0", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheChartDrawsScoredAndDroppedWindowsApart()
    {
        var (data, scores) = RepeatOnTest(32);
        string svg = ForecastPlot.WindowErrorsSvg("repeat", data, data.Test, scores, 32);
        Assert.Contains("scored by drop_last 32", svg);
        Assert.Contains("dropped by drop_last 32", svg);
        Assert.Equal(2, svg.Split("<polyline").Length - 1);
        var (_, all) = RepeatOnTest(1);
        string kept = ForecastPlot.WindowErrorsSvg("repeat", data, data.Test, all, 1);
        Assert.DoesNotContain("dropped", kept);
        Assert.Equal(1, kept.Split("<polyline").Length - 1);
    }

    [Fact]
    public void ScoresOfAnotherPartAreRefused()
    {
        var (data, scores) = RepeatOnTest(32);
        var e = Assert.Throws<ArgumentException>(() => ForecastWindowErrors.Csv(data, data.Train, scores));
        Assert.Contains("windows", e.Message);
    }
}
