// Accuracy, macro-F1 (values worked out by hand, as scikit-learn defines them), MSE/MAE/RMSE and perplexity.
using Attend.Training;

namespace Attend.Tests.Training;

public class ScoresTests
{
    [Fact]
    public void AccuracyAndMacroF1()
    {
        int[] truth = [0, 0, 1, 1, 2, 2], pred = [0, 1, 1, 1, 2, 0];
        Assert.Equal(4.0 / 6, Scores.Accuracy(truth, pred), 1e-12);
        // class 0: tp1 fp1 fn1 → 0.5; class 1: tp2 fp1 fn0 → 0.8; class 2: tp1 fp0 fn1 → 2/3
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, Scores.MacroF1(truth, pred), 1e-12);
        // a class only predicted (3) counts with F1 0
        Assert.Equal((1.0 + 2.0 / 3 + 0) / 3, Scores.MacroF1([0, 1, 1], [0, 1, 3]), 1e-12);
    }

    [Fact]
    public void RegressionErrors()
    {
        float[] t = [1, 2, 3], p = [2, 2, 5];
        Assert.Equal(5.0 / 3, Scores.Mse(t, p), 1e-12);
        Assert.Equal(1.0, Scores.Mae(t, p), 1e-12);
        Assert.Equal(Math.Sqrt(5.0 / 3), Scores.Rmse(t, p), 1e-12);
        Assert.Equal(Math.E, Scores.Perplexity(1.0), 1e-12);
        Assert.Throws<ArgumentException>(() => Scores.Mse(t, [1f]));
    }
}
