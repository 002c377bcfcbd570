// MarianConfig (config.json of a Hugging Face Marian directory) read into a Seq2SeqConfig. Keys read: vocab_size,
// d_model, encoder_layers, decoder_layers, encoder/decoder_attention_heads and _ffn_dim (each pair must be equal),
// activation_function (swish/silu, gelu, gelu_new, relu), max_position_embeddings, scale_embedding, pad_token_id,
// eos_token_id, decoder_start_token_id (the first decoder input) and dropout. Marian's layer norms use eps 1e-5.
// Refused by name: normalize_before / normalize_embedding / add_final_layer_norm true (not Marian's post-norm layout),
// share_encoder_decoder_embeddings or tie_word_embeddings false, a decoder_vocab_size other than vocab_size, and
// unequal encoder and decoder sizes.
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Text.Corpora;
using static Attend.Serialization.HuggingFaceConfig;

namespace Attend.Models;

/// <summary>Reading MarianConfig.</summary>
public static class MarianConfig
{
    /// <summary>The Seq2SeqConfig of MarianConfig <paramref name="root"/> (read from <paramref name="path"/>).</summary>
    public static Seq2SeqConfig Read(JsonObject root, string path)
    {
        foreach (var key in new[] { "normalize_before", "normalize_embedding", "add_final_layer_norm" })
            if (Bool(root, key, path) == true) Refuse(path, key, "true is not supported (Marian's post-norm layers without final norms only)");
        foreach (var key in new[] { "share_encoder_decoder_embeddings", "tie_word_embeddings" })
            if (Bool(root, key, path) == false) Refuse(path, key, "false is not supported (one embedding shared by the encoder, the decoder and the output projection)");
        int vocab = Int(root, "vocab_size", path) ?? Refuse<int>(path, "vocab_size", "missing");
        if (Int(root, "decoder_vocab_size", path) is int dv && dv != vocab) Refuse(path, "decoder_vocab_size", $"{dv} differs from vocab_size {vocab}: separate vocabularies are not supported");
        int heads = Same(root, "encoder_attention_heads", "decoder_attention_heads", 8, path);
        int ffn = Same(root, "encoder_ffn_dim", "decoder_ffn_dim", 2048, path);
        string act = String(root, "activation_function", path) ?? "swish";
        var activation = act switch
        {
            "swish" or "silu" => Activation.Silu,
            "gelu" => Activation.Gelu,
            "gelu_new" or "gelu_pytorch_tanh" => Activation.GeluTanh,
            "relu" => Activation.Relu,
            _ => Refuse<Activation>(path, "activation_function", $"\"{act}\" is not supported; expected swish, silu, gelu, gelu_new or relu"),
        };
        int pad = Int(root, "pad_token_id", path) ?? Refuse<int>(path, "pad_token_id", "missing");
        var config = new Seq2SeqConfig
        {
            VocabSize = vocab,
            DModel = Int(root, "d_model", path) ?? 512,
            NumHeads = heads,
            EncoderLayers = Int(root, "encoder_layers", path) ?? 6,
            DecoderLayers = Int(root, "decoder_layers", path) ?? 6,
            DimFeedforward = ffn,
            Dropout = (float)(Number(root, "dropout", path) ?? 0.1),
            Activation = activation,
            LayerNormEps = 1e-5f,
            NormFirst = false,
            TieEmbeddings = true,
            GeneratorBias = true,
            PadId = pad,
            BosId = Int(root, "decoder_start_token_id", path) ?? pad,
            EosId = Int(root, "eos_token_id", path) ?? 0,
            MaxPositions = Int(root, "max_position_embeddings", path) ?? 512,
            ScaleEmbedding = Bool(root, "scale_embedding", path) ?? false,
            PositionsLayout = SinusoidLayout.SinesThenCosines,
            FinalNorms = false,
        };
        if (config.Problem() is { } problem) throw new DataFormatException(path, 0, "MarianConfig: " + problem);
        return config;
    }

    private static int Same(JsonObject root, string encoderKey, string decoderKey, int fallback, string path)
    {
        int e = Int(root, encoderKey, path) ?? fallback, d = Int(root, decoderKey, path) ?? fallback;
        return e == d ? e : Refuse<int>(path, decoderKey, $"{d} differs from {encoderKey} {e}: unequal encoder and decoder sizes are not supported");
    }
}
