// Text normalisation: NFC composition, whitespace collapsing, lowercasing, and idempotence on random Unicode.
namespace Attend.Text.Tests;

public class TextNormalizerTests
{
    [Fact]
    public void ComposesCollapsesAndTrims()
    {
        Assert.Equal("Caf\u00e9 Noir", TextNormalizer.Normalize(" Cafe\u0301\tNoir \n"));
        Assert.Equal("café", TextNormalizer.Normalize("cafe\u0301"));
        Assert.Equal("a b c", TextNormalizer.Normalize("a \u00a0\u2003 b\r\n\tc"));
        Assert.Equal("", TextNormalizer.Normalize(" \t\n "));
    }

    [Fact]
    public void LowercasesOnlyWhenAskedAndKeepsWhitespaceWhenAsked()
    {
        Assert.Equal("ÉTÉ à", TextNormalizer.Normalize("ÉTÉ  à"));
        Assert.Equal("été à", TextNormalizer.Normalize("ÉTÉ  à", new NormalizationOptions(Lowercase: true)));
        Assert.Equal(" a  b ", TextNormalizer.Normalize(" a  b ", new NormalizationOptions(CollapseWhitespace: false)));
    }

    [Fact]
    public void IsIdempotentOnRandomUnicode()
    {
        var r = new Random(5);
        for (int trial = 0; trial < 500; trial++)
        {
            var chars = Enumerable.Range(0, r.Next(0, 40)).Select(_ => (char)r.Next(0x20, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray();
            string once = TextNormalizer.Normalize(new string(chars), new NormalizationOptions(Lowercase: true));
            Assert.Equal(once, TextNormalizer.Normalize(once, new NormalizationOptions(Lowercase: true)));
            Assert.DoesNotContain("  ", once);
        }
    }
}
