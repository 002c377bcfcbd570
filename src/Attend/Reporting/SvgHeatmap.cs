// An attention heatmap as SVG: rows are target (query) tokens, columns source (key) tokens, each cell shaded by its
// weight in [0, 1] (white → dark blue), tokens written along both axes and the weight in each cell's tooltip.
using System.Globalization;
using System.Text;

namespace Attend.Reporting;

/// <summary>Draws attention weights.</summary>
public static class SvgHeatmap
{
    /// <summary>weights: (rows, cols) row-major with rows = <paramref name="rowLabels"/>.Count, cols = <paramref name="columnLabels"/>.Count.</summary>
    public static string Render(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, ReadOnlySpan<float> weights, int cell = 22)
    {
        int rows = rowLabels.Count, cols = columnLabels.Count;
        if (weights.Length != rows * cols) throw new ArgumentException($"{weights.Length} weights for {rows} × {cols} cells");
        int left = 16 + 7 * Math.Max(1, rowLabels.DefaultIfEmpty("").Max(l => l.Length)), top = 40 + 7 * Math.Max(1, columnLabels.DefaultIfEmpty("").Max(l => l.Length));
        int w = Math.Max(left + cols * cell + 20, 16 + 7 * title.Length), h = top + rows * cell + 20;
        var sb = new StringBuilder();
        sb.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"monospace\" font-size=\"12\">\n"));
        sb.Append(F($"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n<text x=\"8\" y=\"18\" font-family=\"sans-serif\" font-size=\"13\">{SvgLineChart.Escape(title)}</text>\n"));
        for (int c = 0; c < cols; c++)
        {
            double x = left + c * cell + cell / 2.0;
            sb.Append(F($"<text transform=\"translate({x:F1},{top - 6}) rotate(-90)\" dominant-baseline=\"middle\">{SvgLineChart.Escape(columnLabels[c])}</text>\n"));
        }
        for (int r = 0; r < rows; r++)
        {
            double y = top + r * cell + cell / 2.0;
            sb.Append(F($"<text x=\"{left - 6}\" y=\"{y:F1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{SvgLineChart.Escape(rowLabels[r])}</text>\n"));
            for (int c = 0; c < cols; c++)
            {
                float v = Math.Clamp(weights[r * cols + c], 0f, 1f);
                sb.Append(F($"<rect x=\"{left + c * cell}\" y=\"{top + r * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{Shade(v)}\" stroke=\"#ddd\" stroke-width=\"0.5\"><title>{SvgLineChart.Escape(rowLabels[r])} → {SvgLineChart.Escape(columnLabels[c])}: {v:F3}</title></rect>\n"));
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>White at 0 to dark blue (#08306b) at 1.</summary>
    internal static string Shade(float v)
    {
        int r = (int)Math.Round(255 + (8 - 255) * v), g = (int)Math.Round(255 + (48 - 255) * v), b = (int)Math.Round(255 + (107 - 255) * v);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
