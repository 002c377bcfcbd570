// `attend convert onnx` and `attend convert hf`: BERT-family encoders and classifiers (see docs/pretrained.md).
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
        "scale_embedding", "positions_layout", "final_norms",
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
        convert.Add(CreateOnnx());
        convert.Add(CreateHuggingFace());
        return convert;
    }

    // attend convert onnx --onnx model.onnx --vocab vocab.txt [--lowercase true|false] --out DIR
    private static Command CreateOnnx()
    {
        var onnx = new Option<string>("--onnx") { Description = "ONNX file of a BERT-family encoder (as torch.onnx.export writes a Hugging Face BertModel).", Required = true };
        var vocab = new Option<string>("--vocab") { Description = "Its WordPiece vocab.txt.", Required = true };
        var lower = new Option<bool?>("--lowercase") { Description = "Lower-case and strip accents before WordPiece (default: inferred; an uncased vocabulary has no upper-case pieces)." };
        var output = new Option<string>("--out") { Description = "Model directory to write.", Required = true };
        var cmd = new Command("onnx", "Import a BERT-family encoder from an ONNX file and its vocabulary.") { onnx, vocab, lower, output };
        cmd.SetAction(r =>
        {
            string path = r.GetValue(onnx)!;
            if (!File.Exists(path)) throw new UserErrorException($"--onnx: {path} not found");
            var checkpoint = BertCheckpoint.FromOnnx(path, r.GetValue(vocab)!, r.GetValue(lower));
            checkpoint.Save(r.GetValue(output)!);
            Report(checkpoint, r.GetValue(lower) is null ? "inferred from the vocabulary" : "from --lowercase", r.GetValue(output)!);
            return 0;
        });
        return cmd;
    }

    // attend convert hf --dir D --out DIR
    private static Command CreateHuggingFace()
    {
        var dir = new Option<string>("--dir") { Description = "Hugging Face model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).", Required = true };
        var output = new Option<string>("--out") { Description = "Model directory to write.", Required = true };
        var cmd = new Command("hf", "Import a Hugging Face BERT model (BertModel, BertForSequenceClassification).") { dir, output };
        cmd.SetAction(r =>
        {
            if (!BertCheckpoint.IsHuggingFace(r.GetValue(dir)!)) throw new UserErrorException($"--dir: {r.GetValue(dir)} is not a Hugging Face model directory (no config.json with model_type)");
            if (Gpt2Checkpoint.IsGpt2(r.GetValue(dir)!))
                throw new UserErrorException($"--dir: {r.GetValue(dir)} is a GPT-2 directory, which is used as it is: attend generate --model {r.GetValue(dir)} (convert hf imports BERT models)");
            if (MarianCheckpoint.IsMarian(r.GetValue(dir)!))
                throw new UserErrorException($"--dir: {r.GetValue(dir)} is a Marian directory, which is used as it is: attend translate --model {r.GetValue(dir)} (convert hf imports BERT models)");
            var checkpoint = BertCheckpoint.Load(r.GetValue(dir)!);
            checkpoint.Save(r.GetValue(output)!);
            Report(checkpoint, "from the tokenizer files", r.GetValue(output)!);
            return 0;
        });
        return cmd;
    }

    private static void Report(BertCheckpoint checkpoint, string casingSource, string output)
    {
        var c = checkpoint.Encoder.Config;
        string kind = checkpoint.Classifier is { } k ? $"classifier ({string.Join(", ", k.Labels)})" : "encoder";
        Console.Error.WriteLine($"BERT {kind}: {c.NumLayers} layers, width {c.HiddenSize}, {c.NumHeads} heads, FFN {c.IntermediateSize}, " +
            $"{Text.SnakeCaseEnums.Name(c.Activation)}, eps {c.LayerNormEps:G3}, {checkpoint.Tokenizer.Tokens.Count:N0} WordPiece tokens, " +
            $"{(checkpoint.Tokenizer.PreTokenizer.LowerCase ? "uncased" : "cased")} ({casingSource}); {checkpoint.Model.ParameterCount():N0} parameters → {output}");
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
