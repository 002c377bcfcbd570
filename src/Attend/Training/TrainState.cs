// The resumable training state, saved as one safetensors file (train_state.safetensors) so weights, optimizer
// moments and counters are replaced together by a single atomic rename:
//   model/<name>       every distinct parameter (F32, PyTorch names)
//   optim/<i>.<kind>   optimizer buffers (exp_avg, exp_avg_sq, momentum_buffer)
//   optim_steps        per-parameter step counts (I64)
//   ema/<i>            the moving average of the weights, when the run keeps one (ExponentialMovingAverage)
//   metadata "attend_train_state": JSON of TrainCounters (step, data position, best score, curve, …)
// Dropout masks are reseeded from (seed, step) every update and the batches of an epoch are a function of
// (seed, epoch), so these counters are all the randomness a resume needs.
using System.Text.Json;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Training;

/// <summary>The loop's counters, saved inside the checkpoint.</summary>
public sealed record TrainCounters
{
    public int Version { get; init; } = 1;
    public int Seed { get; init; }
    public long Step { get; init; }
    public int Epoch { get; init; }
    /// <summary>Index of the next batch inside <see cref="Epoch"/>.</summary>
    public int BatchIndex { get; init; }
    public double ElapsedSeconds { get; init; }
    public double BestScore { get; init; } = double.NegativeInfinity;
    public int BadValidations { get; init; }
    /// <summary>Sum of per-token training loss × tokens and the tokens, since the last validation.</summary>
    public double LossSum { get; init; }
    public long LossTokens { get; init; }
    public List<CurvePointState> Curve { get; init; } = [];
    /// <summary>Steps whose weights are kept for averaging, oldest first.</summary>
    public List<long> Snapshots { get; init; } = [];
}

/// <summary>A curve point as stored (plain types for JSON).</summary>
public sealed record CurvePointState(long Step, double ElapsedSeconds, double TrainLoss, double ValidLoss, Dictionary<string, double> Metrics, bool Best)
{
    public CurvePoint ToPoint() => new(Step, ElapsedSeconds, TrainLoss, ValidLoss, Metrics, Best);

    public static CurvePointState From(CurvePoint p) => new(p.Step, p.ElapsedSeconds, p.TrainLoss, p.ValidLoss, new(p.Metrics), p.Best);
}

/// <summary>Saves and restores train_state.safetensors.</summary>
public static class TrainState
{
    public const string FileName = "train_state.safetensors";
    private const string MetadataKey = "attend_train_state";
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // best score starts at -Infinity
    };

    /// <summary>Writes the model, optimizer and counters to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, Module model, Optimizer optimizer, TrainCounters counters, ExponentialMovingAverage? ema = null)
    {
        var writer = new SafeTensorsWriter().Metadata(MetadataKey, JsonSerializer.Serialize(counters, Json));
        ModuleWeights.Add(writer, model, "model/");
        foreach (var (name, values) in optimizer.State())
            writer.Add("optim/" + name, values, [values.Length]);
        var steps = optimizer.ParameterSteps();
        writer.Add("optim_steps", steps, [steps.Length]);
        ema?.Save(writer);
        writer.Save(path);
    }

    /// <summary>Restores model, optimizer and counters (and <paramref name="ema"/>, restarted at the weights if the file has none) from <paramref name="path"/>.</summary>
    public static TrainCounters Load(string path, Module model, Optimizer optimizer, ExponentialMovingAverage? ema = null)
    {
        var file = SafeTensorsFile.Load(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new SafeTensorsException(path, $"metadata '{MetadataKey}' is missing: not an Attend training checkpoint");
        TrainCounters counters;
        try
        {
            counters = JsonSerializer.Deserialize<TrainCounters>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException(path, $"metadata '{MetadataKey}' is not valid: {e.Message}");
        }
        if (counters.Version != 1) throw new SafeTensorsException(path, $"train state version {counters.Version}; this build reads version 1");
        ModuleWeights.Load(file, model, "model/");
        try
        {
            foreach (var name in file.Entries.Keys.Where(k => k.StartsWith("optim/", StringComparison.Ordinal)))
                optimizer.RestoreState(name["optim/".Length..], file.ReadFloats(name));
            optimizer.RestoreSteps(counters.Step, file.ReadInts("optim_steps"));
        }
        catch (ArgumentException e)
        {
            throw new SafeTensorsException(path, "optimizer state does not fit this optimizer: " + e.Message);
        }
        ema?.Load(file);
        return counters;
    }
}
