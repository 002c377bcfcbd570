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
        ModelDirectory.Save(dir, model, series);
    }

    /// <summary>Reads <paramref name="dir"/>; a malformed "series" object names the field.</summary>
    public static ForecastModel Load(string dir)
    {
        var (model, series) = ModelDirectory.LoadForecaster(dir);
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
}
