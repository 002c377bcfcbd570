// A Hugging Face Marian directory (opus-mt: config.json with model_type "marian", model.safetensors, source.spm +
// target.spm + vocab.json) read as a Seq2SeqTransformer: post-norm layers without final norms, token embeddings scaled
// by √d_model when scale_embedding, sinusoidal positions with all sines before all cosines, one embedding shared by the
// encoder, the decoder and the output projection, and final_logits_bias as the projection's bias. Names map as
//   model.shared → embedding, model.{encoder,decoder}.layers.{i}.self_attn.{q,k,v}_proj → …self_attn.in_proj_* (the
//   three stacked), out_proj → out_proj, encoder_attn → multihead_attn, fc1/fc2 → linear1/linear2,
//   self_attn_layer_norm → norm1, (decoder) encoder_attn_layer_norm → norm2, final_layer_norm → norm2 (encoder) or
//   norm3 (decoder), final_logits_bias → generator.bias.
// Decoding starts from decoder_start_token_id (the pad id) and ends at eos_token_id. Keys that change the computation
// and are not supported (normalize_before, separate embeddings, unequal encoder and decoder sizes) are refused by name.
using System.Text.Json.Nodes;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>A Marian checkpoint: the model and its tokenizer.</summary>
public sealed record MarianCheckpoint(Seq2SeqTransformer Model, MarianTokenizer Tokenizer, string Source)
{
    /// <summary>Whether <paramref name="dir"/> is a Hugging Face Marian directory.</summary>
    public static bool IsMarian(string dir)
    {
        return HuggingFaceConfig.ModelType(dir) == "marian";
    }

    /// <summary>Loads the model and tokenizer of a Hugging Face Marian directory.</summary>
    public static MarianCheckpoint Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DataFormatException(dir, 0, "model directory not found");
        var model = LoadModel(dir);
        var tokenizer = MarianTokenizer.Load(dir);
        if (tokenizer.Count > model.Config.VocabSize)
            throw new DataFormatException(Path.Combine(dir, "vocab.json"), 0, $"{tokenizer.Count} tokens, but the model has vocab_size {model.Config.VocabSize}");
        return new MarianCheckpoint(model, tokenizer, dir);
    }

    /// <summary>The model of a Hugging Face Marian directory (eval mode).</summary>
    public static Seq2SeqTransformer LoadModel(string dir)
    {
        string configPath = ModelDirectory.ConfigPath(dir);
        var config = MarianConfig.Read(ModelDirectory.ReadJsonObject(configPath), configPath);
        string weights = HuggingFaceWeights.Path(dir);
        var file = SafeTensorsFile.Load(weights);
        var model = HuggingFaceWeights.Build(configPath, file, 2L * config.MaxPositions * config.DModel,
            "d_model, the FFN and layer counts, vocab_size and max_position_embeddings", () => new Seq2SeqTransformer(config, new Rng(0)));
        Fill(model, file, weights);
        model.Eval();
        return model;
    }

    private static void Fill(Seq2SeqTransformer model, SafeTensorsFile file, string path)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        float[] Read(string name, params int[] shape)
        {
            if (!file.Entries.TryGetValue(name, out var entry)) throw new DataFormatException(path, 0, $"tensor '{name}' ({string.Join(", ", shape)}) is missing");
            if (!entry.Shape.SequenceEqual(shape)) throw new DataFormatException(path, 0, $"tensor '{name}': shape ({string.Join(", ", entry.Shape)}), expected ({string.Join(", ", shape)})");
            used.Add(name);
            var values = file.ReadFloats(name);
            foreach (float x in values)
                if (!float.IsFinite(x)) throw new DataFormatException(path, 0, $"tensor '{name}' holds a value that is not finite");
            return values;
        }
        void Copy(Tensor target, string name) => Read(name, target.Shape.ToArray()).CopyTo(target.Data, 0);
        void Attention(MultiheadAttention attention, string prefix)
        {
            int d = attention.OutProj.Weight.Shape[0];
            for (int part = 0; part < 3; part++)
            {
                string proj = prefix + "qkv"[part] + "_proj.";
                Read(proj + "weight", d, d).CopyTo(attention.InProjWeight.Data, part * d * d);
                Read(proj + "bias", d).CopyTo(attention.InProjBias.Data, part * d);
            }
            Copy(attention.OutProj.Weight, prefix + "out_proj.weight");
            Copy(attention.OutProj.Bias!, prefix + "out_proj.bias");
        }
        void Norm(LayerNorm norm, string prefix)
        {
            Copy(norm.Weight, prefix + "weight");
            Copy(norm.Bias, prefix + "bias");
        }
        void Linear(Nn.Linear linear, string prefix)
        {
            Copy(linear.Weight, prefix + "weight");
            Copy(linear.Bias!, prefix + "bias");
        }

        Copy(model.Embedding.Weight, "model.shared.weight");
        var bias = Read("final_logits_bias", 1, model.Config.VocabSize);
        bias.CopyTo(model.Generator.Bias!.Data, 0);
        var encoder = model.Transformer.Encoder.Layers;
        for (int i = 0; i < encoder.Length; i++)
        {
            string p = $"model.encoder.layers.{i}.";
            Attention(encoder[i].SelfAttn, p + "self_attn.");
            Norm(encoder[i].Norm1, p + "self_attn_layer_norm.");
            Linear(encoder[i].Linear1, p + "fc1.");
            Linear(encoder[i].Linear2, p + "fc2.");
            Norm(encoder[i].Norm2, p + "final_layer_norm.");
        }
        var decoder = model.Transformer.Decoder.Layers;
        for (int i = 0; i < decoder.Length; i++)
        {
            string p = $"model.decoder.layers.{i}.";
            Attention(decoder[i].SelfAttn, p + "self_attn.");
            Norm(decoder[i].Norm1, p + "self_attn_layer_norm.");
            Attention(decoder[i].CrossAttn, p + "encoder_attn.");
            Norm(decoder[i].Norm2, p + "encoder_attn_layer_norm.");
            Linear(decoder[i].Linear1, p + "fc1.");
            Linear(decoder[i].Linear2, p + "fc2.");
            Norm(decoder[i].Norm3, p + "final_layer_norm.");
        }
        foreach (var name in file.Entries.Keys)
        {
            if (used.Contains(name) || name.EndsWith("embed_positions.weight", StringComparison.Ordinal)) continue;   // the sinusoids are computed
            if (name is "model.encoder.embed_tokens.weight" or "model.decoder.embed_tokens.weight" or "lm_head.weight")
            {
                if (!file.ReadFloats(name).AsSpan().SequenceEqual(model.Embedding.Weight.Data))
                    throw new DataFormatException(path, 0, $"tensor '{name}' differs from model.shared.weight (separate or untied embeddings are not supported)");
                continue;
            }
            throw new DataFormatException(path, 0, $"tensor '{name}' is not part of a MarianMTModel");
        }
    }
}
