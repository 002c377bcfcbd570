// The demo's generated corpus: every source names the date its target gives, generation is reproducible, and the
// formats are all used.
using System.Globalization;
using Attend.Text.Corpora;

namespace Attend.Text.Tests.Corpora;

public class DateCorpusTests
{
    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames.Take(12).Select(m => m.ToLowerInvariant()).ToArray();

    [Fact]
    public void EverySourceContainsTheDayTheMonthAndTheYearOfItsTarget()
    {
        foreach (var (source, target) in DateCorpus.Generate(3000, 5))
        {
            var d = DateOnly.ParseExact(target, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.InRange(d.Year, 1950, 2049);
            Assert.Contains((d.Year % 100).ToString("D2", CultureInfo.InvariantCulture), source);
            bool monthNamed = source.Contains(Months[d.Month - 1][..3], StringComparison.Ordinal);
            bool monthNumbered = source.Contains(d.Month.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.True(monthNamed || monthNumbered, $"'{source}' does not give month {d.Month}");
            Assert.Contains(d.Day.ToString(CultureInfo.InvariantCulture), source);
        }
    }

    [Fact]
    public void WeekdaysAreTheRealOnes()
    {
        var d = new DateOnly(1998, 3, 14);
        Assert.Equal("saturday, march 14, 1998", DateCorpus.Format(d, 2));
        Assert.Equal("the 14th of mar 98", DateCorpus.Format(d, 12));
        Assert.Equal("3/14/1998", DateCorpus.Format(d, 4));
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(31, "31st")]
    public void OrdinalsFollowEnglish(int n, string expected) => Assert.Equal(expected, DateCorpus.Ordinal(n));

    [Fact]
    public void GenerationIsReproducibleAndVaried()
    {
        var a = DateCorpus.Generate(500, 9);
        Assert.Equal(a, DateCorpus.Generate(500, 9));
        Assert.NotEqual(a, DateCorpus.Generate(500, 10));
        Assert.True(a.Select(p => p.Source).Distinct().Count() > 490);
        Assert.Throws<ArgumentOutOfRangeException>(() => DateCorpus.Format(new DateOnly(2000, 1, 1), DateCorpus.FormatCount));
    }
}
