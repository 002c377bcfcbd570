// On the real ETTh1 file (skipped when ../shared/data is absent): the repeat-last-value baseline, scored with the
// published protocol (ETT borders, train-only scaler, batch-32 drop_last), reproduces the values of the DLinear paper's
// table, 1.295 / 1.325 / 1.323 / 1.339. Any off-by-one in the borders, windows or scaler moves them.
using Attend.Models;
using Attend.Tasks.Forecasting;
using Attend.Tensors;
using Attend.Text.Tests;

namespace Attend.Tests.Tasks;

public class EttBaselineTests
{
    [SharedDataFact("ett-small/ETTh1.csv")]
    public void RepeatBaselineReproducesThePublishedEtth1Values()
    {
        var config = new ForecastDataConfig { Csv = TestFiles.SharedData("ett-small/ETTh1.csv"), TrainRows = 8640, ValidRows = 2880, TestRows = 2880 };
        var expected = new Dictionary<int, double> { [96] = 1.295, [192] = 1.325, [336] = 1.323, [720] = 1.339 };
        foreach (var (horizon, published) in expected)
        {
            var data = ForecastData.Load(config, 336, horizon);
            var repeat = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = 7, Lookback = 336, Horizon = horizon }, new Rng(1));
            var scores = ForecastEvaluation.Evaluate(repeat, data, data.Test, dropLastBatch: 32);
            Assert.Equal(2880 - horizon + 1, scores.Windows);
            Assert.Equal(published, Math.Round(scores.MseDropLast, 3));
        }
    }
}
