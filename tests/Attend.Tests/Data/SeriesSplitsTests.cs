// Chronological splits (the ETT borders) and TimeSeriesSplit-style rolling folds against sklearn's documented output.
using Attend.Data;

namespace Attend.Tests.Data;

public class SeriesSplitsTests
{
    [Fact]
    public void EttBordersStartValidationAndTestOneLookBackEarly()
    {
        var s = ChronologicalSplit.ByRows(17420, 8640, 2880, 2880, lookback: 336);
        Assert.Equal(new RowRange(0, 8640), s.Train);
        Assert.Equal(new RowRange(8640 - 336, 11520), s.Valid);
        Assert.Equal(new RowRange(11520 - 336, 14400), s.Test);
    }

    [Fact]
    public void FractionsFollowTheCustomSplit()
    {
        // Autoformer's custom split: int(0.7 n) train, int(0.2 n) test, the rest validation
        var s = ChronologicalSplit.ByFractions(1000, 0.7, 0.2, lookback: 10);
        Assert.Equal(new RowRange(0, 700), s.Train);
        Assert.Equal(new RowRange(690, 800), s.Valid);
        Assert.Equal(new RowRange(790, 1000), s.Test);
    }

    [Fact]
    public void SplitsThatDoNotFitAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ChronologicalSplit.ByRows(100, 60, 30, 30, 5));
        Assert.Throws<ArgumentException>(() => ChronologicalSplit.ByRows(100, 10, 30, 30, 11));
    }

    [Fact]
    public void RollingFoldsMatchSklearnTimeSeriesSplit()
    {
        // sklearn docs: TimeSeriesSplit(n_splits=5) on 6 samples → train [0] test [1], …, train [0..4] test [5]
        var folds = RollingFolds.Split(6, 5);
        Assert.Equal(5, folds.Count);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(new RowRange(0, k + 1), folds[k].Train);
            Assert.Equal(new RowRange(k + 1, k + 2), folds[k].Test);
        }
        // test_size=2, gap=2 on 12 samples: train [0..5] test [8,9]; train [0..7] test [10,11]
        var gapped = RollingFolds.Split(12, 2, testSize: 2, gap: 2);
        Assert.Equal((new RowRange(0, 6), new RowRange(8, 10)), gapped[0]);
        Assert.Equal((new RowRange(0, 8), new RowRange(10, 12)), gapped[1]);
        var capped = RollingFolds.Split(10, 3, maxTrainSize: 3);
        Assert.Equal(new RowRange(5, 8), capped[2].Train);
        Assert.Throws<ArgumentException>(() => RollingFolds.Split(5, 5));
    }
}
