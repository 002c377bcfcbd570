// The run config of `attend train forecast` (configs/etth1.json is the reference example): a CSV series with a date
// column, the columns to model (all = multivariate, one = univariate), a chronological split by rows (ETT: 12/4/4
// months), a forecaster (Models.ForecasterConfig; channels come from the data), Adam and the loop limits. Unknown keys
// are rejected when the file is read.
using Attend.Models;

namespace Attend.Tasks.Forecasting;

/// <summary>A forecasting run.</summary>
public sealed record ForecastConfig
{
    public string Task { get; init; } = "forecast";
    public int Seed { get; init; } = 2021;
    public ForecastDataConfig Data { get; init; } = new();
    /// <summary>The forecaster; <c>channels</c> is set from the data (0 or the number of columns).</summary>
    public ForecasterConfig Model { get; init; } = new();
    public ForecastOptimConfig Optim { get; init; } = new();
    public ForecastTrainConfig Train { get; init; } = new();

    /// <summary>The first problem found, naming its key, or null (the model is checked once channels are known).</summary>
    public string? Problem() =>
        Task != "forecast" ? $"task: expected \"forecast\", got \"{Task}\""
        : Data.Problem() ?? Optim.Problem() ?? Train.Problem() ?? ModelProblem();

    private string? ModelProblem() =>
        Model.Channels < 0 ? $"model.channels: expected 0 (from the data) or the number of columns, got {Model.Channels}"
        : (Model with { Channels = Math.Max(1, Model.Channels) }).Problem() is { } p ? "model." + p
        : null;
}

/// <summary>The series and its split.</summary>
public sealed record ForecastDataConfig
{
    public string? Csv { get; init; }
    public string DateColumn { get; init; } = "date";
    /// <summary>Columns to model, in order (null = every column but the date).</summary>
    public string[]? Columns { get; init; }
    /// <summary>Rows of each part (ETT-small hourly: 8640 / 2880 / 2880); 0 = by fractions 0.7 / 0.1 / 0.2.</summary>
    public int TrainRows { get; init; }
    public int ValidRows { get; init; }
    public int TestRows { get; init; }

    public string? Problem() =>
        Csv is null ? "data.csv: give the path of the CSV series"
        : Columns is { Length: 0 } ? "data.columns: name at least one column, or leave it out for all"
        : Columns is not null && Columns.Distinct().Count() != Columns.Length ? "data.columns: a column is named more than once"
        : TrainRows < 0 || ValidRows < 0 || TestRows < 0 ? "data.train_rows, valid_rows and test_rows must not be negative"
        : (TrainRows == 0) != (ValidRows == 0) || (TrainRows == 0) != (TestRows == 0) ? "data: give all of train_rows, valid_rows and test_rows, or none"
        : null;
}

/// <summary>Adam and the schedule.</summary>
public sealed record ForecastOptimConfig
{
    public float Lr { get; init; } = 1e-4f;
    public float MinLr { get; init; }
    public float WeightDecay { get; init; }
    /// <summary>"cosine" (to min_lr over the run), "constant", or "epoch_decay" (PatchTST's: × gamma every epoch after decay_start).</summary>
    public string Schedule { get; init; } = "cosine";
    public int Warmup { get; init; }
    /// <summary>epoch_decay: the factor applied once per epoch, and the 0-based epoch after which it starts.</summary>
    public float Gamma { get; init; } = 0.9f;
    public int DecayStart { get; init; } = 3;
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 128;
    public float ClipNorm { get; init; }
    /// <summary>Training loss on the standardised scale: "mse" (default), "mae", or "huber" with huber_delta. Validation
    /// and early stopping always use MSE, the reported metric.</summary>
    public string Loss { get; init; } = "mse";
    public float HuberDelta { get; init; } = 1f;

    public string? Problem() =>
        Loss is not ("mse" or "mae" or "huber") ? $"optim.loss: expected mse, mae or huber, got \"{Loss}\""
        : !(HuberDelta > 0) || !float.IsFinite(HuberDelta) ? $"optim.huber_delta: expected a positive number, got {HuberDelta}"
        : Lr <= 0 ? $"optim.lr: expected a positive rate, got {Lr}"
        : MinLr < 0 || MinLr > Lr ? $"optim.min_lr: expected [0, lr], got {MinLr}"
        : WeightDecay < 0 ? $"optim.weight_decay: expected a non-negative number, got {WeightDecay}"
        : Schedule is not ("cosine" or "constant" or "epoch_decay") ? $"optim.schedule: expected cosine, constant or epoch_decay, got \"{Schedule}\""
        : Gamma is <= 0 or > 1 ? $"optim.gamma: expected (0, 1], got {Gamma}"
        : DecayStart < 0 ? $"optim.decay_start: expected a non-negative epoch, got {DecayStart}"
        : Warmup < 0 ? $"optim.warmup: expected a non-negative number of steps, got {Warmup}"
        : BatchSize < 1 ? $"optim.batch_size: expected at least 1, got {BatchSize}"
        : ClipNorm < 0 ? $"optim.clip_norm: expected a non-negative norm, got {ClipNorm}"
        : null;
}

/// <summary>Loop limits, validation and the evaluation report.</summary>
public sealed record ForecastTrainConfig
{
    public int MaxEpochs { get; init; } = 100;
    public double MaxMinutes { get; init; } = 20;
    /// <summary>Validate every this many updates (0 = once per epoch).</summary>
    public int ValidEvery { get; init; }
    /// <summary>Stop after this many validations without a lower validation MSE (0 = never).</summary>
    public int Patience { get; init; } = 10;
    /// <summary>Validate and export an exponential moving average of the weights with this decay per update (0 = off; e.g. 0.99).</summary>
    public double EmaDecay { get; init; }
    public int LogEvery { get; init; } = 10;
    public int Threads { get; init; }
    /// <summary>The published papers' test loader drops the trailing incomplete batch of this size; reported beside all windows.</summary>
    public int DropLastBatch { get; init; } = 32;
    /// <summary>Test window drawn in plot.svg, and the column drawn (null = the last column, OT for ETT).</summary>
    public int PlotWindow { get; init; }
    public string? PlotColumn { get; init; }

    public string? Problem() =>
        MaxEpochs < 0 || MaxMinutes < 0 ? "train.max_epochs and train.max_minutes must not be negative"
        : MaxEpochs == 0 && MaxMinutes == 0 ? "train: set max_epochs or max_minutes so training ends"
        : ValidEvery < 0 ? $"train.valid_every: expected 0 (each epoch) or more, got {ValidEvery}"
        : Patience < 0 ? $"train.patience: expected 0 (never) or more, got {Patience}"
        : EmaDecay is < 0 or >= 1 || double.IsNaN(EmaDecay) ? $"train.ema_decay: expected [0, 1) (0 = off), got {EmaDecay}"
        : LogEvery < 1 ? $"train.log_every: expected at least 1, got {LogEvery}"
        : Threads < 0 ? $"train.threads: expected 0 (all cores) or more, got {Threads}"
        : DropLastBatch < 1 ? $"train.drop_last_batch: expected at least 1, got {DropLastBatch}"
        : PlotWindow < 0 ? $"train.plot_window: expected a window index, got {PlotWindow}"
        : null;
}
