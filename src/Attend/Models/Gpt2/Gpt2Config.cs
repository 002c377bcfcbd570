// GPT2Config (config.json of a Hugging Face GPT-2 directory) read into a DecoderLmConfig. Keys read: vocab_size,
// n_positions, n_embd, n_head, n_layer, n_inner (null = 4·n_embd), layer_norm_epsilon, activation_function (gelu →
// exact GELU; gelu_new, gelu_pytorch_tanh, gelu_fast → tanh GELU; relu) and resid_pdrop (the dropout of fine-tuning;
// Attend has one rate where GPT-2 has three). Keys that change the computation in ways DecoderLm does not are refused
// by name; every other key (the summary_* heads, the bos/eos ids, use_cache, …) does not touch GPT2LMHeadModel's
// logits.
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Text.Corpora;
using static Attend.Serialization.HuggingFaceConfig;

namespace Attend.Models;

/// <summary>Reading GPT2Config.</summary>
public static class Gpt2Config
{
    /// <summary>The DecoderLm configuration of GPT2Config <paramref name="root"/> (read from <paramref name="path"/>).</summary>
    public static DecoderLmConfig Read(JsonObject root, string path)
    {
        if (Bool(root, "scale_attn_by_inverse_layer_idx", path) == true) Refuse(path, "scale_attn_by_inverse_layer_idx", "true is not supported (scores are divided by √head_dim only)");
        if (Bool(root, "scale_attn_weights", path) == false) Refuse(path, "scale_attn_weights", "false is not supported (scores are divided by √head_dim)");
        if (Bool(root, "add_cross_attention", path) == true) Refuse(path, "add_cross_attention", "a GPT-2 with cross-attention is not supported");
        string act = String(root, "activation_function", path) ?? "gelu_new";
        var activation = act switch
        {
            "gelu" => Activation.Gelu,
            "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => Activation.GeluTanh,
            "relu" => Activation.Relu,
            _ => Refuse<Activation>(path, "activation_function", $"\"{act}\" is not supported; expected gelu, gelu_new, gelu_pytorch_tanh, gelu_fast or relu"),
        };
        var config = new DecoderLmConfig
        {
            VocabSize = Int(root, "vocab_size", path) ?? 50257,
            Context = Int(root, "n_positions", path) ?? 1024,
            DModel = Int(root, "n_embd", path) ?? 768,
            NumHeads = Int(root, "n_head", path) ?? 12,
            NumLayers = Int(root, "n_layer", path) ?? 12,
            DimFeedforward = Int(root, "n_inner", path) ?? 0,
            LayerNormEps = (float)(Number(root, "layer_norm_epsilon", path) ?? 1e-5),
            Dropout = (float)(Number(root, "resid_pdrop", path) ?? 0.1),
            Positions = PositionKind.Learned,
            Activation = activation,
        };
        if (config.Problem() is { } problem) throw new DataFormatException(path, 0, "GPT2Config: " + problem);
        return config;
    }
}
