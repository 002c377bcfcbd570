// A small SVG line chart (no plotting library is available): linear axes with "nice" ticks, one polyline per series,
// a legend; NaN points are skipped. Output is self-contained SVG 1.1 that browsers and GitHub render.
using System.Globalization;
using System.Text;

namespace Attend.Reporting;

/// <summary>Builds a line chart as SVG text.</summary>
public sealed class SvgLineChart(string title, string xLabel, string yLabel)
{
    public const int Width = 480, Height = 320;
    private const int Left = 60, Right = 20, Top = 36, Bottom = 44;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
    private readonly List<(string Name, double[] X, double[] Y)> _series = [];

    /// <summary>Adds a series (x and y of equal length).</summary>
    public SvgLineChart Series(string name, double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"series '{name}': {x.Length} x values and {y.Length} y values");
        _series.Add((name, x, y));
        return this;
    }

    /// <summary>A complete SVG document of this chart.</summary>
    public string ToSvg() => Document(Width, Height, Body(0));

    /// <summary>Two charts side by side in one SVG document.</summary>
    public static string SideBySide(SvgLineChart a, SvgLineChart b) => Document(2 * Width, Height, a.Body(0) + b.Body(Width));

    private static string Document(int w, int h, string body) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"11\">\n" +
        $"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n{body}</svg>\n";

    private string Body(int offsetX)
    {
        var sb = new StringBuilder();
        sb.Append(F($"<g transform=\"translate({offsetX},0)\">\n"));
        sb.Append(F($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">{Escape(title)}</text>\n"));
        var points = _series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        if (points.Count == 0)
        {
            sb.Append(F($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#888\">no data yet</text>\n</g>\n"));
            return sb.ToString();
        }
        var (x0, x1) = Range(points.Select(p => p.First));
        var (y0, y1) = Range(points.Select(p => p.Second));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + (x - x0) / (x1 - x0) * plotW;
        double Py(double y) => Top + (1 - (y - y0) / (y1 - y0)) * plotH;
        sb.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#444\"/>\n"));
        foreach (double t in Ticks(x0, x1))
            sb.Append(F($"<line x1=\"{Px(t):F1}\" y1=\"{Top + plotH}\" x2=\"{Px(t):F1}\" y2=\"{Top + plotH + 4}\" stroke=\"#444\"/><text x=\"{Px(t):F1}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Label(t)}</text>\n"));
        foreach (double t in Ticks(y0, y1))
            sb.Append(F($"<line x1=\"{Left}\" y1=\"{Py(t):F1}\" x2=\"{Left + plotW}\" y2=\"{Py(t):F1}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{Py(t) + 4:F1}\" text-anchor=\"end\">{Label(t)}</text>\n"));
        sb.Append(F($"<text x=\"{Left + plotW / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        sb.Append(F($"<text transform=\"translate(14,{Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n"));
        for (int s = 0; s < _series.Count; s++)
        {
            var (name, xs, ys) = _series[s];
            string color = Palette[s % Palette.Length];
            var path = string.Join(' ', xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).Select(p => F($"{Px(p.First):F1},{Py(p.Second):F1}")));
            if (path.Length > 0) sb.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"{path}\"/>\n"));
            sb.Append(F($"<rect x=\"{Left + 10}\" y=\"{Top + 8 + 16 * s}\" width=\"12\" height=\"3\" fill=\"{color}\"/><text x=\"{Left + 28}\" y=\"{Top + 13 + 16 * s}\">{Escape(name)}</text>\n"));
        }
        sb.Append("</g>\n");
        return sb.ToString();
    }

    private static (double Lo, double Hi) Range(IEnumerable<double> values)
    {
        double lo = values.Min(), hi = values.Max();
        if (hi - lo < 1e-12) (lo, hi) = (lo - 0.5, hi + 0.5);
        return (lo, hi);
    }

    /// <summary>About five round tick values (1, 2 or 5 × 10^k apart) inside [lo, hi].</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step) yield return t;
    }

    // row numbers and step counts stay plain up to 999,999; larger and tiny values go to E notation
    private static string Label(double v) => Math.Abs(v) >= 1e6 || (Math.Abs(v) < 0.01 && v != 0) ? v.ToString("0.##E0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    internal static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
