// The SVG writers produce well-formed documents with one polyline per series / one cell per weight, escape text, and
// shade weights monotonically.
using System.Xml.Linq;
using Attend.Reporting;

namespace Attend.Tests.Reporting;

public class SvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void ALineChartHasOnePolylinePerSeriesAndSkipsNaN()
    {
        var chart = new SvgLineChart("loss <train & valid>", "step", "loss")
            .Series("train", [1, 2, 3], [3, 2, 1])
            .Series("valid", [1, 2, 3], [double.NaN, 2.5, 1.5]);
        var doc = XDocument.Parse(chart.ToSvg());
        var lines = doc.Descendants(Svg + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(3, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.Equal(2, lines[1].Attribute("points")!.Value.Split(' ').Length);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "loss <train & valid>");
    }

    [Fact]
    public void AnEmptyChartSaysSo() => Assert.Contains("no data yet", new SvgLineChart("t", "x", "y").ToSvg());

    [Fact]
    public void TicksAreRoundAndInsideTheRange()
    {
        var ticks = SvgLineChart.Ticks(0.13, 9.7).ToList();
        Assert.Equal([2, 4, 6, 8], ticks);
    }

    [Theory]
    [InlineData(11_520, 14_400, "12000")]
    [InlineData(0, 3e6, "2E6")]
    [InlineData(0, 0.004, "2E-3")]
    public void TickLabelsArePlainUpToAMillion(double from, double to, string label)
    {
        var doc = XDocument.Parse(new SvgLineChart("t", "x", "y").Series("s", [from, to], [from, to]).ToSvg());
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == label);
    }

    [Fact]
    public void AHeatmapHasOneCellPerWeightWithLabels()
    {
        float[] w = [0.9f, 0.1f, 0.0f, 0.2f, 0.3f, 0.5f];
        var doc = XDocument.Parse(SvgHeatmap.Render("attention", ["a", "<b>"], ["x", "y", "z"], w));
        var cells = doc.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(6, cells.Count);
        Assert.Contains("<b> → z: 0.500", cells[5].Element(Svg + "title")!.Value);
        Assert.Throws<ArgumentException>(() => SvgHeatmap.Render("t", ["a"], ["x"], w));
    }

    [Fact]
    public void ShadingDarkensWithWeight()
    {
        Assert.Equal("#ffffff", SvgHeatmap.Shade(0f));
        Assert.Equal("#08306b", SvgHeatmap.Shade(1f));
        Assert.True(string.CompareOrdinal(SvgHeatmap.Shade(0.7f), SvgHeatmap.Shade(0.3f)) < 0);
    }
}
