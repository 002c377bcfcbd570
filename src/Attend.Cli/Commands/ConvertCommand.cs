// `attend convert torch-transformer`: a PyTorch state_dict (safetensors, ../shared/golden/README.md §4.7 names) plus a JSON config with
// the golden config's keys become an Attend model directory. Keys that describe the fixed architecture are checked
// (embedding scale, positional base, batch_first, padding index); keys that do not concern the model are ignored and
// listed.
using Attend.Models;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Cli.Commands;

/// <summary>The `convert` verb.</summary>
public static class ConvertCommand
{
    private static readonly HashSet<string> ModelKeys =
    [
        "vocab_size", "d_model", "nhead", "num_encoder_layers", "num_decoder_layers", "dim_feedforward", "dropout", "activation",
        "layer_norm_eps", "norm_first", "tie_embeddings", "generator_bias", "pad_id", "bos_id", "eos_id", "max_positions",
    ];

    /// <summary>Creates `attend convert`.</summary>
    public static Command Create()
    {
        var convert = new Command("convert", "Import models trained elsewhere.");
        var weights = new Option<string>("--weights") { Description = "PyTorch state_dict saved as safetensors.", Required = true };
        var config = new Option<string>("--config") { Description = "JSON config (vocab_size, d_model, nhead, ... as in the golden files).", Required = true };
        var output = new Option<string>("--out") { Description = "Model directory to write.", Required = true };
        var torch = new Command("torch-transformer", "Import an nn.Transformer seq2seq model (embedding, transformer, generator).") { weights, config, output };
        torch.SetAction(r =>
        {
            var cfg = ReadConfig(r.GetValue(config)!);
            var model = ModelDirectory.Build(r.GetValue(config)!, r.GetValue(weights)!, () => new Seq2SeqTransformer(cfg, new Rng(0)));
            ModelRegistry.Save(r.GetValue(output)!, model);
            Console.Error.WriteLine($"converted {model.ParameterCount():N0} parameters → {r.GetValue(output)}");
            return 0;
        });
        convert.Add(torch);
        return convert;
    }

    private static Seq2SeqConfig ReadConfig(string path)
    {
        var obj = ModelDirectory.ReadJsonObject(path);
        Expect(obj, "embedding_scale", "sqrt(d_model)", path);
        Expect(obj, "pe_base", 10000.0, path);
        Expect(obj, "batch_first", true, path);
        if (obj["embedding_padding_idx"] is JsonValue p && obj["pad_id"] is JsonValue pad && p.GetValue<int>() != pad.GetValue<int>())
            throw new DataFormatException(path, 0, "field 'embedding_padding_idx' must equal pad_id");
        var model = new JsonObject();
        var ignored = new List<string>();
        foreach (var (key, value) in obj)
        {
            if (ModelKeys.Contains(key)) model[key] = value?.DeepClone();
            else ignored.Add(key);
        }
        if (ignored.Count > 0) Console.Error.WriteLine($"note: ignoring config keys that do not describe the model: {string.Join(", ", ignored)}");
        return ModelDirectory.ParseConfig<Seq2SeqConfig>(model, path, c => c.Problem());
    }

    private static void Expect<T>(JsonObject obj, string key, T expected, string path)
    {
        if (obj[key] is not JsonValue v) return;
        bool ok = v.TryGetValue(out T? actual) && EqualityComparer<T>.Default.Equals(actual, expected);
        if (!ok) throw new DataFormatException(path, 0, $"field '{key}': only {expected} is supported, got {v.ToJsonString()}");
    }
}
