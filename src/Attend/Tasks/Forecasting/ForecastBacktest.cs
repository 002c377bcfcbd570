// A rolling-origin backtest with an expanding window: the config's split is moved back by whole test blocks, so one
// model recipe is trained and scored on K successive test periods instead of one. Fold k of K ends (K − k) test blocks
// before the split's end; its test block is the last of its rows, its validation block the rows just before, and it
// trains on every row before that. That is sklearn's TimeSeriesSplit over the rows (RollingFolds), with the
// validation block carved from the tail of each training range. The last fold is the config's own split. Each fold
// is an ordinary run: it fits its own scaler on its own training rows and stops early on its own validation block.
//
// ETT-small hourly (8640 / 2880 / 2880 rows), K = 3: fold 1 trains on [0, 2880), validates on [2880, 5760) and tests
// on [5760, 8640); fold 2 trains on [0, 5760); fold 3 is the protocol's split.
using Attend.Data;

namespace Attend.Tasks.Forecasting;

/// <summary>One fold: its 1-based index, the config that trains it, and its parts (without the look-back overlap).</summary>
public sealed record BacktestFold(int Index, ForecastConfig Config, RowRange Train, RowRange Valid, RowRange Test);

/// <summary>Mean and sample standard deviation over the folds of one figure.</summary>
public sealed record BacktestFigure(double Mean, double Std, double Min, double Max);

/// <summary>Rolling-origin folds of a forecasting config, and the summary of their results.</summary>
public static class ForecastBacktest
{
    /// <summary>
    /// The <paramref name="folds"/> folds of <paramref name="config"/> over a series of <paramref name="rows"/> rows.
    /// Throws <see cref="ArgumentException"/> when a fold would have no training window of look-back + horizon rows.
    /// </summary>
    public static IReadOnlyList<BacktestFold> Folds(ForecastConfig config, int rows, int folds)
    {
        if (folds < 1) throw new ArgumentException($"expected at least 1 fold, got {folds}");
        var split = ForecastData.SplitOf(config.Data, rows, lookback: 0);
        int valid = split.Valid.Length, test = split.Test.Length, window = config.Model.Lookback + config.Model.Horizon;
        int firstTrain = split.Test.End - folds * test - valid;
        if (firstTrain < window)
            throw new ArgumentException($"{folds} folds of {test} test rows leave fold 1 {Math.Max(firstTrain, 0)} training rows, " +
                $"fewer than one window of {config.Model.Lookback} + {config.Model.Horizon}; use at most " +
                $"{Math.Max(0, (split.Test.End - valid - window) / test)} folds");
        var result = new List<BacktestFold>();
        var pairs = RollingFolds.Split(split.Test.End, folds, testSize: test);
        for (int k = 0; k < folds; k++)
        {
            var (trainAndValid, testRange) = pairs[k];
            int trainRows = trainAndValid.End - valid;
            var data = config.Data with { TrainRows = trainRows, ValidRows = valid, TestRows = test };
            result.Add(new BacktestFold(k + 1, config with { Data = data }, new RowRange(0, trainRows),
                new RowRange(trainRows, trainAndValid.End), testRange));
        }
        return result;
    }

    /// <summary>Mean, sample standard deviation (0 for one fold), minimum and maximum of <paramref name="values"/>.</summary>
    public static BacktestFigure Summarize(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no folds to summarize");
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new BacktestFigure(mean, std, values.Min(), values.Max());
    }
}
