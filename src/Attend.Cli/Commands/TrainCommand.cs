// `attend train <task> --config FILE [--set key=value ...] --out DIR [--resume] [--json]`: the tasks and how their
// results read. Every one runs the same path (TrainVerb); `train forecast --folds K` adds a backtest
// (ForecastBacktestRun) and `train markov` fits a baseline without a run config (LmCommands).
using System.CommandLine;
using System.Globalization;
using Attend.Tasks.Classification;
using Attend.Tasks.Forecasting;
using Attend.Tasks.LanguageModeling;
using Attend.Tasks.Tagging;
using Attend.Tasks.Translation;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>The `train` verb.</summary>
public static class TrainCommand
{
    internal static readonly TrainTask<TranslationConfig, TranslationResults> Translation = new("translation",
        "Train a Transformer (or RNN) translator; score the test set with beam search.", "configs/multi30k-de-en.json",
        TranslationRun.Prepare, s => F($"score {s:F2}"),
        (_, r) => F($"test BLEU [bold]{r.Bleu:F2}[/] (lowercased {r.BleuLowercase:F2}), chrF {r.Chrf:F2} on {r.Sentences:N0} sentences (beam {r.Beam})\n[grey]{Markup.Escape(r.Signature)}[/]"));

    internal static readonly TrainTask<LmConfig, LmResults> Lm = new("lm",
        "Train a decoder-only Transformer language model; report validation loss and write a sample.", "configs/shakespeare-char.json",
        LmRun.Prepare, s => F($"loss {-s:F4}"),
        (_, r) => F($"validation loss of the best model [bold]{r.ValidLoss:F4}[/] nats/token ({r.BitsPerToken:F3} bits) over {r.ValidWindows:N0} windows; {r.TrainSeconds:F0} s, {r.MsPerStep:F1} ms/update\n") + Markup.Escape(r.Sample));

    internal static readonly TrainTask<ForecastConfig, ForecastResults> Forecast = new("forecast",
        "Train a forecaster (or fit a baseline) on a CSV series; score validation and test windows.", "configs/etth1.json",
        (c, dir, _, log) => ForecastRun.Prepare(c, dir, log), s => F($"MSE {-s:F4}"),
        (c, r) => F($"test MSE [bold]{r.TestMse:F4}[/] MAE {r.TestMae:F4} over all {r.TestWindows:N0} windows; MSE [bold]{r.TestMseDropLast:F4}[/] MAE {r.TestMaeDropLast:F4} over the {r.TestWindowsKept:N0} kept by drop_last batches of {c.Train.DropLastBatch} (validation MSE {r.ValidMse:F4}; test MSE / repeat-last-value's {r.TestMseVsRepeat:F4}); plot.svg draws test window {c.Train.PlotWindow}"));

    internal static readonly TrainTask<ClassificationConfig, ClassificationResults> Classification = new("classification",
        "Train a text classifier (Transformer encoder, BiLSTM or bag of n-grams); score validation and test.", "configs/imdb.json",
        ClassificationRun.Prepare, s => F($"score {s:F4}"),
        (_, r) => F($"test accuracy [bold]{r.TestAccuracy:P2}[/] (macro-F1 {r.TestMacroF1:F4}, loss {r.TestLoss:F4}) on {r.TestTexts:N0} texts; validation accuracy {r.ValidAccuracy:P2}; {r.TrainSeconds:F0} s of training"));

    internal static readonly TrainTask<TaggingConfig, TaggingResults> Tagging = new("tagging",
        "Train a sequence tagger (BiLSTM with character features, or Transformer) on CoNLL-U; score validation and test.", "configs/ud-ewt-upos.json",
        TaggingRun.Prepare, s => F($"score {s:F4}"),
        (_, r) => F($"test accuracy [bold]{r.TestAccuracy:P2}[/] on {r.TestWords:N0} words ({r.TestUnseenAccuracy:P2} on the {r.TestUnseenWords:N0} unseen in training); validation accuracy {r.ValidAccuracy:P2}; {r.TrainSeconds:F0} s of training"));

    /// <summary>Creates `attend train`.</summary>
    public static Command Create() => new("train", "Train a model from a run config.")
    {
        TrainVerb.Create(Translation),
        TrainVerb.Create(Lm),
        LmCommands.CreateTrainMarkov(),
        ForecastBacktestRun.CreateTrain(),
        TrainVerb.Create(Classification),
        TrainVerb.Create(Tagging),
    };

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
