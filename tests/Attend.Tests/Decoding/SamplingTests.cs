// Sampling: greedy limits (temperature 0, top-k 1, tiny top-p), a seed reproduces draws, top-k/top-p never pick an
// excluded token, and frequencies follow softmax(logits / T).
using Attend.Decoding;
using Attend.Tensors;

namespace Attend.Tests.Decoding;

public class SamplingTests
{
    private static readonly float[] Logits = [0.5f, 2.0f, -1.0f, 1.5f, 0.0f];

    [Fact]
    public void GreedyLimits()
    {
        var rng = new Rng(1);
        Assert.Equal(1, Sampling.Sample(Logits, new SamplingOptions(Temperature: 0f), rng));
        Assert.Equal(1, Sampling.Sample(Logits, new SamplingOptions(TopK: 1), rng));
        for (int i = 0; i < 50; i++) Assert.Equal(1, Sampling.Sample(Logits, new SamplingOptions(TopP: 0.01f), rng));
    }

    [Fact]
    public void TopKAndTopPExcludeTheTail()
    {
        var rng = new Rng(2);
        for (int i = 0; i < 500; i++)
        {
            Assert.Contains(Sampling.Sample(Logits, new SamplingOptions(TopK: 2), rng), new[] { 1, 3 });
            // softmax: p(1) ≈ 0.49, p(3) ≈ 0.30 → top-p 0.7 keeps {1, 3}
            Assert.Contains(Sampling.Sample(Logits, new SamplingOptions(TopP: 0.7f), rng), new[] { 1, 3 });
        }
    }

    [Fact]
    public void SeedReproducesAndFrequenciesFollowTheTemperedSoftmax()
    {
        var r1 = new Rng(9);
        var r2 = new Rng(9);
        var draws1 = Enumerable.Range(0, 200).Select(_ => Sampling.Sample(Logits, new SamplingOptions(Temperature: 0.7f), r1)).ToArray();
        var draws2 = Enumerable.Range(0, 200).Select(_ => Sampling.Sample(Logits, new SamplingOptions(Temperature: 0.7f), r2)).ToArray();
        Assert.Equal(draws1, draws2);
        var rng = new Rng(3);
        const int n = 40000;
        var counts = new int[Logits.Length];
        for (int i = 0; i < n; i++) counts[Sampling.Sample(Logits, new SamplingOptions(Temperature: 2f), rng)]++;
        var z = Logits.Select(l => Math.Exp(l / 2.0)).ToArray();
        for (int i = 0; i < Logits.Length; i++) Assert.InRange((double)counts[i] / n, z[i] / z.Sum() - 0.01, z[i] / z.Sum() + 0.01);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        Assert.Contains("top-p", Assert.Throws<ArgumentException>(() => Sampling.Sample(Logits, new SamplingOptions(TopP: 0f), new Rng(1))).Message);
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => Sampling.Sample(Logits, new SamplingOptions(Temperature: -1f), new Rng(1))).Message);
    }
}
