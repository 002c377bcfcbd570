// Rolling-origin folds: on the ETT split (8640 / 2880 / 2880) three folds test on the three successive 2,880-row blocks
// with expanding training rows and the validation block just before each test block; the last fold is the config's
// own split; with fractions the geometry follows them; each fold's test windows forecast exactly its test rows; too
// many folds are refused with the largest count that fits; and the summary is the mean and sample deviation.
using Attend.Data;
using Attend.Models;
using Attend.Tasks.Forecasting;
using Attend.Tests.Models;

namespace Attend.Tests.Tasks;

public class ForecastBacktestTests
{
    private static ForecastConfig Ett(int lookback = 336, int horizon = 96) => new()
    {
        Data = new ForecastDataConfig { Csv = "ETTh1.csv", TrainRows = 8640, ValidRows = 2880, TestRows = 2880 },
        Model = new ForecasterConfig { Lookback = lookback, Horizon = horizon },
    };

    [Fact]
    public void EttFoldsTestOnSuccessiveBlocksAndTheLastIsTheProtocol()
    {
        var config = Ett();
        var folds = ForecastBacktest.Folds(config, 17420, 3);
        Assert.Equal([1, 2, 3], folds.Select(f => f.Index));
        Assert.Equal([new RowRange(0, 2880), new RowRange(0, 5760), new RowRange(0, 8640)], folds.Select(f => f.Train));
        Assert.Equal([new RowRange(2880, 5760), new RowRange(5760, 8640), new RowRange(8640, 11520)], folds.Select(f => f.Valid));
        Assert.Equal([new RowRange(5760, 8640), new RowRange(8640, 11520), new RowRange(11520, 14400)], folds.Select(f => f.Test));
        Assert.Equal(config, folds[^1].Config);
        Assert.Equal(5760, folds[1].Config.Data.TrainRows);
        Assert.Equal(config.Model, folds[0].Config.Model);
    }

    [Fact]
    public void FractionsGiveTheSameGeometry()
    {
        var config = Ett() with { Data = new ForecastDataConfig { Csv = "x.csv" }, Model = new ForecasterConfig { Lookback = 24, Horizon = 12 } };
        var folds = ForecastBacktest.Folds(config, 1000, 2); // 70 / 10 / 20 %: 700, 100, 200 rows
        Assert.Equal((new RowRange(0, 500), new RowRange(500, 600), new RowRange(600, 800)), (folds[0].Train, folds[0].Valid, folds[0].Test));
        Assert.Equal((new RowRange(0, 700), new RowRange(700, 800), new RowRange(800, 1000)), (folds[1].Train, folds[1].Valid, folds[1].Test));
        Assert.Equal(ForecastData.SplitOf(config.Data, 1000, 24), ForecastData.SplitOf(folds[1].Config.Data, 1000, 24));
    }

    [Fact]
    public void EachFoldForecastsExactlyItsTestRows()
    {
        const int l = 24, h = 12;
        var series = ForecasterTests.NoisySine();
        var config = Ett(l, h) with { Data = new ForecastDataConfig { Csv = "sine.csv", TrainRows = 400, ValidRows = 100, TestRows = 100 } };
        foreach (var fold in ForecastBacktest.Folds(config, series.Rows, 3))
        {
            var data = ForecastData.Create(series, ForecastData.SplitOf(fold.Config.Data, series.Rows, l), l, h);
            Assert.Equal(fold.Test.Begin, data.Test.Starts[0] + l);
            Assert.Equal(fold.Test.End - 1, data.Test.Starts[^1] + l + h - 1);
            Assert.Equal(fold.Valid.Begin, data.Valid.Starts[0] + l);
            Assert.Equal(fold.Train.End - 1, data.Train.Starts[^1] + l + h - 1);
            Assert.Equal(fold.Train.Length, data.Split.Train.Length);
        }
    }

    [Fact]
    public void TooManyFoldsAreRefusedWithTheLargestThatFits()
    {
        var config = Ett(24, 12) with { Data = new ForecastDataConfig { Csv = "sine.csv", TrainRows = 400, ValidRows = 100, TestRows = 100 } };
        Assert.Equal(100, ForecastBacktest.Folds(config, 600, 4)[0].Train.Length);
        var e = Assert.Throws<ArgumentException>(() => ForecastBacktest.Folds(config, 600, 5));
        Assert.Contains("use at most 4 folds", e.Message);
        Assert.Throws<ArgumentException>(() => ForecastBacktest.Folds(config, 600, 0));
    }

    [Fact]
    public void TheSummaryIsMeanAndSampleDeviation()
    {
        var s = ForecastBacktest.Summarize([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.Std, 12);
        Assert.Equal((1.0, 4.0), (s.Min, s.Max));
        Assert.Equal(0, ForecastBacktest.Summarize([0.37]).Std);
    }
}
