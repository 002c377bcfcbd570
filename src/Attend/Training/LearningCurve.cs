// The learning curve of a run: curve.csv (one row per validation) and curve.svg (training and validation loss against
// the step, and the validation metrics on a second panel). Both are rewritten atomically after every validation.
using System.Globalization;
using System.Text;
using Attend.Reporting;

namespace Attend.Training;

/// <summary>Writes curve.csv and curve.svg.</summary>
public static class LearningCurve
{
    /// <summary>Writes both files into <paramref name="runDir"/>.</summary>
    public static void Write(string runDir, IReadOnlyList<CurvePoint> curve)
    {
        Text.AtomicFile.WriteAllText(Path.Combine(runDir, "curve.csv"), Csv(curve));
        Text.AtomicFile.WriteAllText(Path.Combine(runDir, "curve.svg"), Svg(curve));
    }

    /// <summary>step,elapsed_s,train_loss,valid_loss,&lt;metrics…&gt;,best — invariant culture.</summary>
    public static string Csv(IReadOnlyList<CurvePoint> curve)
    {
        var metrics = curve.SelectMany(p => p.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("step,elapsed_s,train_loss,valid_loss");
        foreach (var m in metrics) sb.Append(',').Append(m);
        sb.Append(",best\n");
        foreach (var p in curve)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{p.Step},{p.ElapsedSeconds:F1},{p.TrainLoss:G6},{p.ValidLoss:G6}");
            foreach (var m in metrics) sb.Append(',').Append(p.Metrics.TryGetValue(m, out var x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "");
            sb.Append(p.Best ? ",1\n" : ",0\n");
        }
        return sb.ToString();
    }

    /// <summary>The curve drawn as SVG: losses on the left panel, metrics on the right.</summary>
    public static string Svg(IReadOnlyList<CurvePoint> curve)
    {
        var steps = curve.Select(p => (double)p.Step).ToArray();
        var lossChart = new SvgLineChart("Loss per token", "step", "loss")
            .Series("train", steps, curve.Select(p => p.TrainLoss).ToArray())
            .Series("valid", steps, curve.Select(p => p.ValidLoss).ToArray());
        var metricsChart = new SvgLineChart("Validation metrics", "step", "");
        foreach (var m in curve.SelectMany(p => p.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
            metricsChart.Series(m, steps, curve.Select(p => p.Metrics.TryGetValue(m, out var x) ? x : double.NaN).ToArray());
        return SvgLineChart.SideBySide(lossChart, metricsChart);
    }
}
