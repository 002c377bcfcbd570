// Batch norm over the last axis against a double-precision reference: batch statistics and the running-statistics
// update in training, the running statistics in evaluation, gradients by finite differences, and buffers that travel
// with the weights but never reach an optimizer.
using Attend.Autograd;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class BatchNormTests
{
    private static BatchNorm Randomised(int d, ulong seed)
    {
        var norm = new BatchNorm(d);
        var rng = new Rng(seed);
        for (int j = 0; j < d; j++)
        {
            norm.Weight.Data[j] = 0.5f + rng.NextFloat();
            norm.Bias.Data[j] = rng.Normal();
        }
        return norm;
    }

    [Fact]
    public void TrainingUsesTheBatchStatisticsOfEachFeatureAndUpdatesTheRunningOnes()
    {
        const int d = 4;
        var norm = Randomised(d, 1);
        var x = Tensor.Normal(new Rng(2), 3f, 2f, 3, 5, d); // 15 values per feature
        var y = norm.Forward(x);
        Assert.Equal(x.Shape, y.Shape);
        for (int j = 0; j < d; j++)
        {
            var column = Enumerable.Range(0, 15).Select(r => (double)x.Data[r * d + j]).ToArray();
            double mean = column.Average(), biased = column.Sum(v => (v - mean) * (v - mean)) / 15;
            for (int r = 0; r < 15; r++)
            {
                double expected = (column[r] - mean) / Math.Sqrt(biased + 1e-5) * norm.Weight.Data[j] + norm.Bias.Data[j];
                Assert.Equal(expected, y.Data[r * d + j], 4);
            }
            Assert.Equal(0.9 * 0 + 0.1 * mean, norm.RunningMean.Data[j], 5);
            Assert.Equal(0.9 * 1 + 0.1 * biased * 15 / 14, norm.RunningVar.Data[j], 5); // unbiased, as PyTorch
        }
    }

    [Fact]
    public void EvaluationUsesTheRunningStatistics()
    {
        const int d = 3;
        var norm = Randomised(d, 3);
        float[] mean = [0.5f, -1f, 2f], variance = [0.25f, 4f, 1.5f];
        mean.CopyTo(norm.RunningMean.Data, 0);
        variance.CopyTo(norm.RunningVar.Data, 0);
        norm.Eval();
        var x = Tensor.Normal(new Rng(4), 0f, 1f, 2, d);
        var y = norm.Forward(x);
        for (int i = 0; i < x.Size; i++)
        {
            int j = i % d;
            double expected = (x.Data[i] - mean[j]) / Math.Sqrt(variance[j] + 1e-5) * norm.Weight.Data[j] + norm.Bias.Data[j];
            Assert.Equal(expected, y.Data[i], 5);
        }
        Assert.Equal(mean, norm.RunningMean.Data); // evaluation leaves them alone
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var norm = Randomised(5, 5);
        var x = GradCheck.Leaf(new Rng(6), [4, 3, 5]);
        GradCheck.Check("batch norm", inputs => norm.Forward(inputs[0]), [x, norm.Weight, norm.Bias], h: 1e-2f, rtol: 3e-2, atol: 3e-3);
    }

    private sealed class Normed : Module
    {
        public Normed()
        {
            Proj = Child("proj", new Linear(2, 3, new Rng(1)));
            Norm = Child("norm", new BatchNorm(3));
        }

        public Linear Proj { get; }
        public BatchNorm Norm { get; }
    }

    [Fact]
    public void BuffersTravelWithTheWeightsButAreNotParameters()
    {
        var model = new Normed();
        Assert.DoesNotContain(model.NamedParameters(), p => p.Name.StartsWith("norm.running", StringComparison.Ordinal));
        Assert.Equal(["norm.running_mean", "norm.running_var"], model.NamedBuffers().Select(b => b.Name));
        Assert.Contains("norm.running_var", model.StateDict().Keys);
        Assert.False(model.Norm.RunningMean.RequiresGrad);

        model.Norm.Forward(Tensor.Normal(new Rng(2), 1f, 3f, 10, 3));
        string path = Path.Combine(Path.GetTempPath(), $"attend-bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            var writer = new SafeTensorsWriter();
            ModuleWeights.Add(writer, model);
            writer.Save(path);
            var copy = new Normed();
            Assert.NotEqual(model.Norm.RunningMean.Data, copy.Norm.RunningMean.Data);
            ModuleWeights.Load(SafeTensorsFile.Load(path), copy);
            Assert.Equal(model.Norm.RunningMean.Data, copy.Norm.RunningMean.Data);
            Assert.Equal(model.Norm.RunningVar.Data, copy.Norm.RunningVar.Data);

            var fresh = new Normed();
            fresh.LoadStateDict(model.StateDict());
            Assert.Equal(model.Norm.RunningVar.Data, fresh.Norm.RunningVar.Data);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
