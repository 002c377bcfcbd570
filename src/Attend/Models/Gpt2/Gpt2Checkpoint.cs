// A Hugging Face GPT-2 directory (config.json with model_type "gpt2", model.safetensors, vocab.json + merges.txt or
// tokenizer.json) read as a DecoderLm: GPT-2 is a pre-norm decoder with learned positions, a final LayerNorm and an
// output head tied to the token embedding, which is what DecoderLm builds. The names map as
//   wte → tok_emb, wpe → pos_emb, h.{i}.ln_1/ln_2 → layers.{i}.norm1/norm2, attn.c_attn → self_attn.in_proj_*,
//   attn.c_proj → self_attn.out_proj, mlp.c_fc → linear1, mlp.c_proj → linear2, ln_f → norm,
// with or without the "transformer." prefix (the original OpenAI files have none). GPT-2's projections are Conv1D
// layers stored (in, out): each is transposed into the (out, in) of a Linear; c_attn's output columns are Q, K, V in
// that order, as in_proj_weight's rows are. The causal-mask buffers (attn.bias, attn.masked_bias) are passed over and
// lm_head.weight, when stored, must equal wte. Config keys that change the computation and are not supported
// (scale_attn_by_inverse_layer_idx, scale_attn_weights false, add_cross_attention) are refused by name.
using System.Text.Json.Nodes;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>A GPT-2 checkpoint: the model, its tokenizer and its end-of-text id.</summary>
/// <param name="EndOfText">The id generation stops at (eos_token, else the config's eos_token_id), or null.</param>
public sealed record Gpt2Checkpoint(DecoderLm Model, Gpt2Tokenizer Tokenizer, int? EndOfText, string Source)
{
    /// <summary>Whether <paramref name="dir"/> is a Hugging Face GPT-2 directory.</summary>
    public static bool IsGpt2(string dir)
    {
        return HuggingFaceConfig.ModelType(dir) == "gpt2";
    }

    /// <summary>Loads the model and the tokenizer of a Hugging Face GPT-2 directory.</summary>
    public static Gpt2Checkpoint Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        var (model, eosId) = LoadModel(dir);
        var file = Gpt2TokenizerFiles.Load(dir);
        if (file.Tokenizer.Count > model.Config.VocabSize)
            throw new DataFormatException(Path.Combine(dir, "vocab.json"), 0, $"{file.Tokenizer.Count} tokens, but the model has vocab_size {model.Config.VocabSize}");
        int? eos = file.Eos is { } e ? file.Tokenizer.IdOf(e) : eosId;
        return new Gpt2Checkpoint(model, file.Tokenizer, eos, dir);
    }

    /// <summary>The model of a Hugging Face GPT-2 directory (eval mode) and the config's eos_token_id.</summary>
    public static (DecoderLm Model, int? EosId) LoadModel(string dir)
    {
        string configPath = ModelDirectory.ConfigPath(dir);
        var root = ModelDirectory.ReadJsonObject(configPath);
        var config = Gpt2Config.Read(root, configPath);
        string weights = HuggingFaceWeights.Path(dir);
        var file = SafeTensorsFile.Load(weights);
        var model = HuggingFaceWeights.Build(configPath, file, 0, "n_embd, n_inner, n_layer, n_positions and vocab_size", () => new DecoderLm(config, new Rng(0)));
        Fill(model, file, weights);
        model.Eval();
        int? eosId = root["eos_token_id"] is JsonValue ev && ev.TryGetValue(out int id) ? id : null;
        return (model, eosId);
    }

    // every DecoderLm tensor from its GPT-2 name, Conv1D weights transposed; nothing stored may be left unread
    private static void Fill(DecoderLm model, SafeTensorsFile file, string path)
    {
        string prefix = file.Entries.ContainsKey("transformer.wte.weight") ? "transformer." : "";
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (own, tensor) in model.NamedState())
        {
            var (name, transposed) = Gpt2Name(own);
            name = prefix + name;
            if (!file.Entries.TryGetValue(name, out var entry))
                throw new DataFormatException(path, 0, $"tensor '{name}' {(transposed ? $"({tensor.Shape[1]}, {tensor.Shape[0]})" : tensor.Shape.ToString())} is missing");
            var expected = transposed ? new[] { tensor.Shape[1], tensor.Shape[0] } : tensor.Shape.ToArray();
            if (!entry.Shape.SequenceEqual(expected))
                throw new DataFormatException(path, 0, $"tensor '{name}': shape ({string.Join(", ", entry.Shape)}), expected ({string.Join(", ", expected)})");
            var values = file.ReadFloats(name);
            if (transposed) Transpose(values, expected[0], expected[1], tensor.Data);
            else values.CopyTo(tensor.Data, 0);
            foreach (float x in tensor.Data)
                if (!float.IsFinite(x)) throw new DataFormatException(path, 0, $"tensor '{name}' holds a value that is not finite");
            used.Add(name);
        }
        foreach (var name in file.Entries.Keys)
        {
            if (used.Contains(name) || IsMaskBuffer(name)) continue;
            if (name == "lm_head.weight")
            {
                if (!file.ReadFloats(name).AsSpan().SequenceEqual(model.TokenEmbedding.Weight.Data))
                    throw new DataFormatException(path, 0, "tensor 'lm_head.weight' differs from the token embedding it is tied to (an untied head is not supported)");
                continue;
            }
            throw new DataFormatException(path, 0, $"tensor '{name}' is not part of a GPT2LMHeadModel");
        }
    }

    private static bool IsMaskBuffer(string name) => name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal);

    /// <summary>The GPT-2 name of a DecoderLm tensor and whether GPT-2 stores it transposed (a Conv1D weight).</summary>
    internal static (string Name, bool Transposed) Gpt2Name(string own)
    {
        switch (own)
        {
            case "tok_emb.weight": return ("wte.weight", false);
            case "pos_emb.weight": return ("wpe.weight", false);
            case "norm.weight": return ("ln_f.weight", false);
            case "norm.bias": return ("ln_f.bias", false);
        }
        var parts = own.Split('.');
        if (parts.Length < 4 || parts[0] != "layers") throw new InvalidOperationException($"no GPT-2 name for '{own}'");
        string layer = $"h.{parts[1]}.", rest = string.Join('.', parts[2..]);
        return rest switch
        {
            "norm1.weight" => (layer + "ln_1.weight", false),
            "norm1.bias" => (layer + "ln_1.bias", false),
            "norm2.weight" => (layer + "ln_2.weight", false),
            "norm2.bias" => (layer + "ln_2.bias", false),
            "self_attn.in_proj_weight" => (layer + "attn.c_attn.weight", true),
            "self_attn.in_proj_bias" => (layer + "attn.c_attn.bias", false),
            "self_attn.out_proj.weight" => (layer + "attn.c_proj.weight", true),
            "self_attn.out_proj.bias" => (layer + "attn.c_proj.bias", false),
            "linear1.weight" => (layer + "mlp.c_fc.weight", true),
            "linear1.bias" => (layer + "mlp.c_fc.bias", false),
            "linear2.weight" => (layer + "mlp.c_proj.weight", true),
            "linear2.bias" => (layer + "mlp.c_proj.bias", false),
            _ => throw new InvalidOperationException($"no GPT-2 name for '{own}'"),
        };
    }

    // src (rows, cols) → dst (cols, rows)
    private static void Transpose(float[] src, int rows, int cols, float[] dst)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
    }
}
