// The run config of `attend train tagging` (configs/ud-ewt-upos.json is the reference example): CoNLL-U files (the
// training file, with a seeded hold-out for model selection unless a validation file is given, and a test file, e.g.
// English-EWT's dev set), the tag column, the word vocabulary, the Tagger (its labels and vocabularies come from the
// data), Adam and the loop limits. Unknown keys are rejected when the file is read.
using Attend.Models;
using Attend.Training;

namespace Attend.Tasks.Tagging;

/// <summary>A tagging run.</summary>
public sealed record TaggingConfig : IRunConfig
{
    public string Task { get; init; } = "tagging";
    public int Seed { get; init; } = 1;
    public TaggingDataConfig Data { get; init; } = new();
    /// <summary>The tagger; labels, vocab_size and char_vocab_size are filled from the data (char_vocab_size: any positive number turns character features on).</summary>
    public TaggerConfig Model { get; init; } = new();
    public TokenBudgetOptimConfig Optim { get; init; } = new() { Lr = 2e-3f, Warmup = 100, MaxTokens = 2000, ClipNorm = 5f };
    public TrainConfig Train { get; init; } = new() { MaxEpochs = 10, MaxMinutes = 30 };

    public string? Problem() =>
        Task != "tagging" ? $"task: expected \"tagging\", got \"{Task}\""
        : Data.Problem() ?? Optim.Problem() ?? Train.Problem();
}

/// <summary>The treebank files and what to predict.</summary>
public sealed record TaggingDataConfig
{
    public string? Train { get; init; }
    /// <summary>Model-selection file; without it, valid_fraction of the training sentences are held out.</summary>
    public string? Valid { get; init; }
    /// <summary>Scored once with the best model at the end (e.g. en_ewt-ud-dev.conllu).</summary>
    public string? Test { get; init; }
    public double ValidFraction { get; init; } = 0.05;
    /// <summary>"upos" or "xpos".</summary>
    public string Column { get; init; } = "upos";
    /// <summary>Most distinct (lowercased) word forms kept; rarer forms are &lt;unk&gt; and rely on their characters.</summary>
    public int VocabSize { get; init; } = 30000;
    /// <summary>Forms seen fewer times in training are &lt;unk&gt; there too, so the unknown-word vector learns from rare words.</summary>
    public int MinCount { get; init; } = 2;

    public string? Problem() =>
        Train is null ? "data.train: give the path of a CoNLL-U training file"
        : Valid is null && ValidFraction is <= 0 or >= 1 ? $"data.valid_fraction: expected a fraction in (0, 1), got {ValidFraction}"
        : Column is not ("upos" or "xpos") ? $"data.column: expected upos or xpos, got \"{Column}\""
        : VocabSize < 5 ? $"data.vocab_size: expected at least 5, got {VocabSize}"
        : MinCount < 1 ? $"data.min_count: expected at least 1, got {MinCount}"
        : null;
}
