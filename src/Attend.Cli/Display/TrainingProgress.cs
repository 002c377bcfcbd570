// The training display: on a terminal, a live Spectre.Console progress bar whose line shows step, loss, learning
// rate, tokens/s and ETA, with one table row printed above it per validation; when output is redirected (CI, logs),
// one plain line per progress report every few seconds instead.
using System.Diagnostics;
using System.Globalization;
using Attend.Training;
using Spectre.Console;

namespace Attend.Cli.Display;

/// <summary>Shows trainer events on a console.</summary>
public sealed class TrainingProgress(IAnsiConsole console, ProgressTask? bar) : ITrainingObserver
{
    private long _lastPlain = -1;

    /// <summary>Runs <paramref name="train"/> with the display (live on a terminal, plain lines otherwise).</summary>
    public static T Show<T>(IAnsiConsole console, string title, Func<ITrainingObserver, T> train)
    {
        if (!console.Profile.Capabilities.Interactive) return train(new TrainingProgress(console, null));
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1000);
                result = train(new TrainingProgress(console, task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    public void OnProgress(StepReport r)
    {
        double eta = r.Fraction > 0 ? r.ElapsedSeconds / r.Fraction - r.ElapsedSeconds : double.NaN;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"step {r.Step,6} | epoch {r.Epoch + 1,3} | loss {r.Loss,6:F3} | lr {r.LearningRate:0.00e0} | {r.TokensPerSecond,7:N0} {r.Unit}/s | ETA {Clock(eta)}");
        if (bar is not null)
        {
            bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"step {r.Step} · loss {r.Loss:F3} · lr {r.LearningRate:0.0e0} · {r.TokensPerSecond:N0} {r.Unit}/s · ETA {Clock(eta)}"));
            bar.Value = r.Fraction * bar.MaxValue;
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (_lastPlain >= 0 && Stopwatch.GetElapsedTime(_lastPlain, now).TotalSeconds < 5) return;
        _lastPlain = now;
        console.WriteLine(line);
    }

    public void OnValidating(long step)
    {
        if (bar is not null) bar.Description = Markup.Escape($"step {step} · validating …");
    }

    public void OnValidation(CurvePoint p)
    {
        string metrics = string.Join("  ", p.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G4}")));
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[grey]validation[/] step {p.Step} ({Clock(p.ElapsedSeconds)}): train loss {p.TrainLoss:F3}  valid loss {p.ValidLoss:F3}  {Markup.Escape(metrics)}");
        console.MarkupLine(p.Best ? line + "  [green]best[/]" : line);
    }

    public void OnMessage(string message) => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

    /// <summary>
    /// Runs <paramref name="trainer"/> into <paramref name="dir"/> with the progress display; Ctrl+C stops it after the
    /// current update (the last checkpoint stays, so --resume continues) and the result is marked Cancelled.
    /// </summary>
    public static TrainingResult RunInterruptible(IAnsiConsole console, Trainer trainer, string dir, bool resume)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var result = Show(console, "training", observer => trainer.Run(dir, resume, observer, cancel.Token));
            if (result.Cancelled) console.MarkupLine("[yellow]interrupted: run again with --resume to continue from the last checkpoint[/]");
            return result;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Seconds as h:mm:ss or m:ss ("--:--" when unknown).</summary>
    public static string Clock(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "--:--";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
    }
}
