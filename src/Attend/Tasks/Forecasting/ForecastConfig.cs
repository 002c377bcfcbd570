// The run config of `attend train forecast` (configs/etth1.json is the reference example): a CSV series with a date
// column, the columns to model (all = multivariate, one = univariate), a chronological split by rows (ETT: 12/4/4
// months), a forecaster (Models.ForecasterConfig; channels come from the data), Adam and the loop limits. Unknown keys
// are rejected when the file is read.
using Attend.Models;
using Attend.Training;

namespace Attend.Tasks.Forecasting;

/// <summary>A forecasting run.</summary>
public sealed record ForecastConfig : IRunConfig
{
    public string Task { get; init; } = "forecast";
    public int Seed { get; init; } = 2021;
    public ForecastDataConfig Data { get; init; } = new();
    /// <summary>The forecaster; <c>channels</c> is set from the data (0 or the number of columns).</summary>
    public ForecasterConfig Model { get; init; } = new();
    public ForecastOptimConfig Optim { get; init; } = new() { Lr = 1e-4f, ClipNorm = 0 };
    public ForecastTrainConfig Train { get; init; } = new() { MaxEpochs = 100, MaxMinutes = 20, Patience = 10 };
    TrainConfig IRunConfig.Train => Train;

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

/// <summary>The "optim" section: the shared optimiser keys, the batch size and the training loss.</summary>
public sealed record ForecastOptimConfig : OptimConfig
{
    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Training loss on the standardised scale: "mse" (default), "mae", or "huber" with huber_delta. Validation
    /// and early stopping always use MSE, the reported metric.</summary>
    public string Loss { get; init; } = "mse";
    public float HuberDelta { get; init; } = 1f;

    /// <inheritdoc/>
    public override string? Problem() =>
        Loss is not ("mse" or "mae" or "huber") ? $"optim.loss: expected mse, mae or huber, got \"{Loss}\""
        : !(HuberDelta > 0) || !float.IsFinite(HuberDelta) ? $"optim.huber_delta: expected a positive number, got {HuberDelta}"
        : BatchSize < 1 ? $"optim.batch_size: expected at least 1, got {BatchSize}"
        : base.Problem();
}

/// <summary>The "train" section: the shared loop keys and the evaluation report.</summary>
public sealed record ForecastTrainConfig : TrainConfig
{
    /// <summary>The published papers' test loader drops the trailing incomplete batch of this size; reported beside all windows.</summary>
    public int DropLastBatch { get; init; } = 32;
    /// <summary>Test window drawn in plot.svg, and the column drawn (null = the last column, OT for ETT).</summary>
    public int PlotWindow { get; init; }
    public string? PlotColumn { get; init; }

    /// <inheritdoc/>
    public override string? Problem() =>
        base.Problem()
        ?? (DropLastBatch < 1 ? $"train.drop_last_batch: expected at least 1, got {DropLastBatch}"
        : PlotWindow < 0 ? $"train.plot_window: expected a window index, got {PlotWindow}"
        : null);
}
