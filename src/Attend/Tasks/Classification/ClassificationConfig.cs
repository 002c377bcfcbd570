// The run config of `attend train classification` (configs/imdb.json is the reference example): labelled texts (the
// aclImdb archive, or tab-separated label<TAB>text files), a word tokenizer trained on the training part, a
// TextClassifier (its labels and vocabulary come from the data), Adam and the loop limits. Unknown keys are rejected
// when the file is read.
using Attend.Text;
using Attend.Models;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Classification;

/// <summary>A text-classification run.</summary>
public sealed record ClassificationConfig : IRunConfig
{
    public string Task { get; init; } = "classification";
    public int Seed { get; init; } = 1;
    public ClassificationDataConfig Data { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new() { Type = "word", VocabSize = 20000 };
    /// <summary>The classifier; labels and vocab_size are filled from the data (leave them out).</summary>
    public TextClassifierConfig Model { get; init; } = new();
    public TokenBudgetOptimConfig Optim { get; init; } = new() { Warmup = 100, MaxTokens = 8192 };
    public TrainConfig Train { get; init; } = new() { MaxEpochs = 5, MaxMinutes = 30 };

    /// <summary>The first problem found, naming its key, or null (the model is checked once the data is read).</summary>
    public string? Problem() =>
        Task != "classification" ? $"task: expected \"classification\", got \"{Task}\""
        : Data.Problem() ?? Tokenizer.Problem() ?? Optim.Problem() ?? Train.Problem()
        ?? (new object?[] { Model.Init, Model.Encoder, Model.Bow }.Count(x => x is not null) != 1
            ? "model: give one of model.init (a pretrained BERT-family encoder to fine-tune), model.encoder or model.bow" : null)
        ?? (Model.FreezeLayers < 0 || Model.FreezeLayers > 0 && Model.Init is null ? "model.freeze_layers: a count of layers (0 or more) of a model.init encoder" : null);
}

/// <summary>Where the labelled texts come from and how they are cut.</summary>
public sealed record ClassificationDataConfig
{
    /// <summary>The aclImdb folder or aclImdb_*.tar.gz: train → train + validation, test → test.</summary>
    public string? Imdb { get; init; }
    /// <summary>Tab-separated files, one "label&lt;TAB&gt;text" per line (instead of imdb).</summary>
    public string? Train { get; init; }
    public string? Valid { get; init; }
    public string? Test { get; init; }
    /// <summary>Share of the training texts held out for validation when no valid file is given.</summary>
    public double ValidFraction { get; init; } = 0.1;
    public TextCut Text { get; init; } = new();

    public string? Problem() =>
        (Imdb is null) == (Train is null) ? "data: give either data.imdb or data.train (a label<TAB>text file)"
        : Imdb is not null && (Valid is not null || Test is not null) ? "data: data.valid and data.test go with data.train, not with data.imdb"
        : Valid is null && ValidFraction is <= 0 or >= 1 ? $"data.valid_fraction: expected a fraction in (0, 1), got {ValidFraction}"
        : Text.Problem() is { } p ? "data.text." + p
        : null;
}
