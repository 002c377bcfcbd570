// Chronological splits of a series. Forecasting never shuffles time: validation and test follow training, and each
// later part starts `lookback` rows early so its first window can look back into the part before it (the ETT
// protocol of Zhou et al. 2021: train [0, 8640), validation [8640 − L, 11520), test [11520 − L, 14400)). Rolling folds
// follow sklearn's TimeSeriesSplit: fold k tests on the k-th of n + 1 equal tail blocks and trains on everything before.
namespace Attend.Data;

/// <summary>A half-open row range [Begin, End).</summary>
public readonly record struct RowRange(int Begin, int End)
{
    public int Length => End - Begin;
    public override string ToString() => $"[{Begin}, {End})";
}

/// <summary>Train / validation / test row ranges; validation and test include the look-back rows before them.</summary>
public sealed record ChronologicalSplit(RowRange Train, RowRange Valid, RowRange Test)
{
    /// <summary>
    /// Splits at row counts: the first <paramref name="trainRows"/> rows train, the next <paramref name="validRows"/>
    /// validate and the next <paramref name="testRows"/> test; validation and test start <paramref name="lookback"/>
    /// rows early. ETT-small hourly: (8640, 2880, 2880).
    /// </summary>
    public static ChronologicalSplit ByRows(int rows, int trainRows, int validRows, int testRows, int lookback)
    {
        if (trainRows < 1 || validRows < 1 || testRows < 1) throw new ArgumentException($"each part needs rows; got train {trainRows}, valid {validRows}, test {testRows}");
        if (trainRows + validRows + testRows > rows) throw new ArgumentException($"the split needs {trainRows + validRows + testRows} rows; the series has {rows}");
        if (lookback < 0 || lookback > trainRows) throw new ArgumentException($"the look-back must be in [0, {trainRows}] (the training rows), got {lookback}");
        int validEnd = trainRows + validRows;
        return new ChronologicalSplit(new RowRange(0, trainRows), new RowRange(trainRows - lookback, validEnd),
            new RowRange(validEnd - lookback, validEnd + testRows));
    }

    /// <summary>Splits by fractions of the rows (train 0.7, test 0.2, the rest validation is the Autoformer custom split).</summary>
    public static ChronologicalSplit ByFractions(int rows, double trainFraction, double testFraction, int lookback)
    {
        if (trainFraction <= 0 || testFraction <= 0 || trainFraction + testFraction >= 1)
            throw new ArgumentException($"fractions must be positive and leave room for validation; got train {trainFraction}, test {testFraction}");
        int train = (int)(rows * trainFraction), test = (int)(rows * testFraction);
        return ByRows(rows, train, rows - train - test, test, lookback);
    }
}

/// <summary>sklearn.model_selection.TimeSeriesSplit: expanding-window folds over the rows.</summary>
public static class RollingFolds
{
    /// <summary>
    /// <paramref name="folds"/> (train, test) pairs over <paramref name="rows"/> rows. Test blocks have
    /// <paramref name="testSize"/> rows (default rows / (folds + 1)) and tile the tail; training ends
    /// <paramref name="gap"/> rows before each test block and keeps at most <paramref name="maxTrainSize"/> rows.
    /// Example: 10 rows, 3 folds → test [4, 6), [6, 8), [8, 10) with train [0, 4), [0, 6), [0, 8).
    /// </summary>
    public static IReadOnlyList<(RowRange Train, RowRange Test)> Split(int rows, int folds, int? testSize = null, int gap = 0, int? maxTrainSize = null)
    {
        if (folds < 1) throw new ArgumentException($"need at least one fold, got {folds}");
        if (gap < 0) throw new ArgumentException($"the gap must not be negative, got {gap}");
        int size = testSize ?? rows / (folds + 1);
        if (size < 1) throw new ArgumentException($"test blocks would be empty: {rows} rows for {folds} folds");
        if (rows - gap - size * folds <= 0)
            throw new ArgumentException($"too many folds ({folds}) of {size} test rows with gap {gap} for {rows} rows");
        var result = new List<(RowRange, RowRange)>();
        for (int k = 0; k < folds; k++)
        {
            int testStart = rows - (folds - k) * size, trainEnd = testStart - gap;
            int trainBegin = maxTrainSize is { } max && trainEnd > max ? trainEnd - max : 0;
            result.Add((new RowRange(trainBegin, trainEnd), new RowRange(testStart, testStart + size)));
        }
        return result;
    }
}
