// A trained forecaster's directory: the "forecaster" architecture with its hyperparameters, and a "series" object
// holding what inference needs of the data — the date column, the columns in order, the training-row scaler and the
// run's split — so `attend forecast` and `attend eval forecast` scale new rows exactly as training did.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Data;
using Attend.Models;
using Attend.Serialization;
using Attend.Text.Corpora;

namespace Attend.Tasks.Forecasting;

/// <summary>A loaded forecaster with its columns, scaler and training data settings.</summary>
public sealed record ForecastModel(Forecaster Model, ForecastDataConfig Data, string[] Columns, StandardScaler Scaler)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes <paramref name="dir"/>.</summary>
    public static void Save(string dir, Forecaster model, ForecastData data, ForecastDataConfig dataConfig)
    {
        var series = new JsonObject
        {
            ["data"] = JsonSerializer.SerializeToNode(dataConfig with { Columns = data.Series.Columns }, Json),
            ["mean"] = JsonSerializer.SerializeToNode(data.Scaler.Mean),
            ["std"] = JsonSerializer.SerializeToNode(data.Scaler.Std),
        };
        ModelRegistry.Save(dir, model, sections: new Dictionary<string, JsonObject> { ["series"] = series });
    }

    /// <summary>Reads <paramref name="dir"/>; a malformed "series" object names the field.</summary>
    public static ForecastModel Load(string dir)
    {
        var loaded = ModelRegistry.Load<Forecaster>(dir);
        var (model, series) = (loaded.Model, loaded.Header.Section("series"));
        string path = Path.Combine(dir, "config.json");
        ForecastDataConfig? data;
        float[]? mean, std;
        try
        {
            data = series["data"]?.Deserialize<ForecastDataConfig>(Json);
            mean = series["mean"]?.Deserialize<float[]>();
            std = series["std"]?.Deserialize<float[]>();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 0, $"field 'series': {e.Message}");
        }
        int c = model.Config.Channels;
        if (data?.Columns is not { } columns || columns.Length != c) throw new DataFormatException(path, 0, $"field 'series.data.columns': expected {c} column names");
        if (mean is null || std is null || mean.Length != c || std.Length != c || std.Any(s => !(s > 0)))
            throw new DataFormatException(path, 0, $"field 'series.mean'/'series.std': expected {c} means and {c} positive deviations");
        return new ForecastModel(model, data, columns, new StandardScaler(mean, std));
    }

    /// <summary>
    /// Reads one directory, or several as an <see cref="EnsembleForecaster"/>. The members must forecast the same
    /// columns, horizon and data (the same training-row scaler); the first directory's data settings stand for all.
    /// </summary>
    public static ForecastModel Load(IReadOnlyList<string> dirs)
    {
        if (dirs.Count == 0) throw new ArgumentException("no model directory given");
        var models = dirs.Select(Load).ToArray();
        if (models.Length == 1) return models[0];
        var first = models[0];
        for (int i = 1; i < models.Length; i++)
        {
            var m = models[i];
            string path = Path.Combine(dirs[i], "config.json");
            if (!m.Columns.SequenceEqual(first.Columns) || m.Data.DateColumn != first.Data.DateColumn)
                throw new DataFormatException(path, 0, $"field 'series.data.columns': an ensemble member must forecast the columns of {dirs[0]} ({string.Join(", ", first.Columns)})");
            if (m.Model.Config.Horizon != first.Model.Config.Horizon)
                throw new DataFormatException(path, 0, $"field 'config.horizon': an ensemble member must forecast {first.Model.Config.Horizon} steps, as {dirs[0]} does; got {m.Model.Config.Horizon}");
            if (!m.Scaler.Mean.SequenceEqual(first.Scaler.Mean) || !m.Scaler.Std.SequenceEqual(first.Scaler.Std))
                throw new DataFormatException(path, 0, $"field 'series.mean'/'series.std': an ensemble member must be trained on the same rows as {dirs[0]} (its scaler differs)");
        }
        return first with { Model = new EnsembleForecaster(models.Select(m => m.Model).ToArray()) };
    }
}
