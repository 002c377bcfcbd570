// Markov baselines: every order gives a proper distribution (sums to 1, nothing zero), a deterministic second-order
// sequence is learned almost exactly while first order cannot, skips add long-range evidence, and bad input is refused.
using Attend.Models;
using Attend.Tensors;

namespace Attend.Tests.Models;

public class MarkovLmTests
{
    private static int[] Stream(string text) => text.Select(c => c - 'a').ToArray();

    [Theory]
    [InlineData(MarkovOrder.First)]
    [InlineData(MarkovOrder.Second)]
    [InlineData(MarkovOrder.SecondWithSkips)]
    public void EveryHistoryGivesAProperDistribution(MarkovOrder order)
    {
        var rng = new Rng(4);
        var stream = Enumerable.Range(0, 500).Select(_ => rng.NextInt(6)).ToArray();
        var m = MarkovLm.Train(stream, 7, order, skips: 3); // id 6 never occurs
        foreach (int[] history in new[] { Array.Empty<int>(), [2], [6, 6], [1, 2, 3, 4], [5, 0, 6, 1, 2] })
        {
            double sum = 0;
            for (int w = 0; w < 7; w++)
            {
                double p = m.Probability(history, w);
                Assert.True(p > 0, $"P({w} | {string.Join(",", history)}) must be positive");
                sum += p;
            }
            Assert.Equal(1.0, sum, 1e-9);
        }
    }

    [Fact]
    public void SecondOrderLearnsWhatFirstOrderCannot()
    {
        // after "b" comes "c" or "d" depending on the letter before: "abc" vs "xbd"
        var text = string.Concat(Enumerable.Repeat("abcxbd", 200));
        var train = Stream(text);
        var valid = Stream(string.Concat(Enumerable.Repeat("abcxbd", 20)));
        double first = MarkovLm.Train(train, 26, MarkovOrder.First).CrossEntropy(valid);
        double second = MarkovLm.Train(train, 26, MarkovOrder.Second).CrossEntropy(valid);
        Assert.True(first > 0.1, $"first order must be unsure after b, got {first:F3}");
        Assert.True(second < 0.02, $"second order should be nearly certain, got {second:F3}");
    }

    [Fact]
    public void SkipsSeeFurtherBackThanSecondOrder()
    {
        // the letter after "..mn" depends on the letter four places back (a → p, b → q)
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? "akmnp" : "bkmnq"));
        var train = Stream(text);
        double second = MarkovLm.Train(train, 26, MarkovOrder.Second).CrossEntropy(train);
        double skips = MarkovLm.Train(train, 26, MarkovOrder.SecondWithSkips, skips: 4).CrossEntropy(train);
        Assert.True(skips < second, $"skips ({skips:F4}) should beat second order ({second:F4}) here");
    }

    [Fact]
    public void SamplingFollowsTheCounts()
    {
        var m = MarkovLm.Train(Stream(string.Concat(Enumerable.Repeat("abc", 100))), 26, MarkovOrder.Second);
        var sample = m.Sample(Stream("ab"), 9, new Rng(1));
        Assert.Equal("cabcabcab", string.Concat(sample.Select(i => (char)('a' + i))));
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => MarkovLm.Train([0, 1, 5], 3, MarkovOrder.First));
        Assert.Throws<ArgumentException>(() => MarkovLm.Train([0, 1], 3, MarkovOrder.First, discount: 1.5));
        Assert.Throws<ArgumentException>(() => MarkovLm.Train([0, 1], 3, MarkovOrder.SecondWithSkips, skips: 0));
        Assert.Throws<ArgumentException>(() => MarkovLm.Train([0, 1], 3, MarkovOrder.First).CrossEntropy([1]));
    }
}
