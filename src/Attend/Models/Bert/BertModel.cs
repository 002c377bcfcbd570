// Hugging Face's BertModel: embeddings (word + position 0..T−1 + token type, LayerNorm, dropout), L post-norm
// layers, and the pooler tanh(dense(h[:, 0])). Parameter names are BertModel's state-dict keys
// (embeddings.word_embeddings.weight, encoder.layer.0.attention.self.query.weight, pooler.dense.bias, …), so
// model.safetensors of an Attend "bert" directory reads like Hugging Face's. New weights start as N(0, 0.02), as
// BertPreTrainedModel's initialiser (LayerNorm ones and zeros, biases zero).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>A BERT-family encoder: token ids (B, T) → hidden states (B, T, C) and the pooled [CLS] vector (B, C).</summary>
public sealed class BertModel : Module
{
    /// <summary>The "bert" model directory: embeds text (attend embed, attend search).</summary>
    public static ModelKind<BertModel, BertConfig> Kind { get; } = new("bert", [ModelUse.Embed],
        c => new BertModel(c, new Rng(0)), m => m.Config, c => c.Problem(), _ => null);

    public BertModel(BertConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("bert config: " + problem);
        Config = config;
        int h = config.HiddenSize;
        WordEmbeddings = Child("embeddings.word_embeddings", BertInit.Embedding(config.VocabSize, h, rng));
        PositionEmbeddings = Child("embeddings.position_embeddings", BertInit.Embedding(config.MaxPositions, h, rng));
        TypeEmbeddings = Child("embeddings.token_type_embeddings", BertInit.Embedding(config.TypeVocabSize, h, rng));
        EmbeddingNorm = Child("embeddings.LayerNorm", new LayerNorm(h, config.LayerNormEps));
        Drop = Child("embeddings.dropout", new Dropout(config.HiddenDropout, rng.Fork()));
        var list = Child("encoder.layer", new ModuleList());
        Layers = [.. Enumerable.Range(0, config.NumLayers).Select(_ => list.Add(new BertLayer(config, rng)))];
        if (config.AddPoolingLayer) Pooler = Child("pooler.dense", BertInit.Linear(h, h, rng));
    }

    public BertConfig Config { get; }
    public Embedding WordEmbeddings { get; }
    public Embedding PositionEmbeddings { get; }
    public Embedding TypeEmbeddings { get; }
    public LayerNorm EmbeddingNorm { get; }
    public BertLayer[] Layers { get; }

    /// <summary>The pooler's dense layer, or null without a pooler.</summary>
    public Linear? Pooler { get; }
    private Dropout Drop { get; }

    /// <summary>batch: ids, token types and mask (B, T) → last hidden states (B, T, C).</summary>
    public Tensor Forward(BertBatch batch)
    {
        int b = batch.Batch, t = batch.Length;
        if (t > Config.MaxPositions) throw new ArgumentException($"{t} tokens exceed the model's {Config.MaxPositions} positions");
        var positions = new int[b * t];
        for (int i = 0; i < positions.Length; i++) positions[i] = i % t;
        var x = Ops.Add(Ops.Add(WordEmbeddings.Forward(batch.Ids, b, t), TypeEmbeddings.Forward(batch.TypeIds, b, t)),
            PositionEmbeddings.Forward(positions, b, t));                                           // (B, T, C)
        x = Drop.Forward(EmbeddingNorm.Forward(x));
        var padding = batch.KeyPadding(Config.NumHeads);                                            // (B, H, T, T) or null
        for (int i = 0; i < Layers.Length; i++) x = GradMode.IsEnabled ? Layers[i].Forward(x, padding) : Infer(Layers[i], x, padding, i == Layers.Length - 1);
        return x;
    }

    // Without gradients, each layer runs in a recycling scope: its intermediates (q, k, v, scores, the FFN's inner
    // activations) reuse the previous layer's buffers instead of fresh memory, and only its output is copied out,
    // into one of two buffers this thread keeps for layer outputs (the last layer's into a new array: it is the
    // caller's). Fresh memory is what made inference slow: at batch 32 × 128 tokens a forward pass allocated 1.5 GB,
    // which the kernel faulted in and zeroed and the GC collected, and took 1.7 times as long. Inside an outer scope
    // (the caller's) this is a plain call.
    private static Tensor Infer(BertLayer layer, Tensor x, Mask? padding, bool last)
    {
        if (TensorMemory.IsRecycling) return layer.Forward(x, padding);
        using (TensorMemory.Recycle())
        {
            var y = layer.Forward(x, padding);
            float[] target;
            if (last) target = GC.AllocateUninitializedArray<float>(y.Size);
            else
            {
                bool first = !ReferenceEquals(x.Data, t_layerOutputs[0]);
                ref var slot = ref t_layerOutputs[first ? 0 : 1];
                if (slot is null || slot.Length != y.Size) slot = GC.AllocateUninitializedArray<float>(y.Size);
                target = slot;
            }
            y.Data.AsSpan(0, y.Size).CopyTo(target);
            return new Tensor(target, y.Shape);
        }
    }

    [ThreadStatic] private static float[]?[]? t_layerOutputsStore;
    private static float[]?[] t_layerOutputs => t_layerOutputsStore ??= new float[2][];

    /// <summary>tanh(dense(h[:, 0])): hidden (B, T, C) → (B, C). Needs the pooler.</summary>
    public Tensor Pool(Tensor hidden)
    {
        if (Pooler is null) throw new InvalidOperationException("this model has no pooler (add_pooling_layer false)");
        int b = hidden.Shape[0], c = hidden.Shape[2];
        var first = Ops.Reshape(Ops.Slice(hidden, 1, 0, 1), b, c);                                  // (B, C)
        return Ops.Tanh(Pooler.Forward(first));
    }
}

/// <summary>Padded BERT inputs: ids and token types (B, T) flattened, and per sequence its real length.</summary>
public sealed record BertBatch(int[] Ids, int[] TypeIds, int[] Lengths, int Batch, int Length)
{
    /// <summary>Pads <paramref name="inputs"/> on the right with <paramref name="padId"/> to the longest, or to <paramref name="length"/>.</summary>
    public static BertBatch From(IReadOnlyList<Text.Tokenization.BertInput> inputs, int padId, int? length = null)
    {
        int b = inputs.Count, t = Math.Max(length ?? 0, inputs.Max(i => i.Ids.Length));
        var ids = new int[b * t];
        var types = new int[b * t];
        Array.Fill(ids, padId);
        for (int i = 0; i < b; i++)
        {
            inputs[i].Ids.CopyTo(ids, i * t);
            inputs[i].TypeIds.CopyTo(types, i * t);
        }
        return new BertBatch(ids, types, [.. inputs.Select(i => i.Ids.Length)], b, t);
    }

    /// <summary>(B, T): true at padding.</summary>
    public Mask Padding()
    {
        var data = new bool[Batch * Length];
        for (int i = 0; i < Batch; i++)
            for (int j = Lengths[i]; j < Length; j++) data[i * Length + j] = true;
        return new Mask(data, new Shape(Batch, Length));
    }

    /// <summary>
    /// The key mask of attention scores (B, H, T, T), true at padded keys, or null when nothing is padded. Built once
    /// per forward pass at full size, so that no layer's softmax has to broadcast it (which cost an index map of the
    /// whole score tensor per layer and per pass).
    /// </summary>
    public Mask? KeyPadding(int heads)
    {
        if (Lengths.All(l => l == Length)) return null;
        var data = new bool[(long)Batch * heads * Length * Length];
        var row = new bool[Length];
        for (int b = 0; b < Batch; b++)
        {
            for (int j = 0; j < Length; j++) row[j] = j >= Lengths[b];
            for (int r = 0; r < heads * Length; r++) row.CopyTo(data, ((long)b * heads * Length + r) * Length);
        }
        return new Mask(data, new Shape(Batch, heads, Length, Length));
    }
}

/// <summary>Initialisation and activations shared by the BERT modules.</summary>
internal static class BertInit
{
    public static Linear Linear(int inputs, int outputs, Rng rng)
    {
        return new Linear(Tensor.Normal(rng, 0f, 0.02f, outputs, inputs), Tensor.Zeros(outputs));
    }

    // N(0, 0.02²): the Embedding's N(0, 1) draw scaled (drawn through Tensor.Normal, so that loading skips it)
    public static Embedding Embedding(int rows, int width, Rng rng)
    {
        var e = new Embedding(rows, width, rng);
        var w = e.Weight.Data;
        for (int i = 0; i < w.Length; i++) w[i] *= 0.02f;
        return e;
    }

    /// <summary>The activation as the GEMM applies it (Linear.Forward(x, activation) falls back to the op).</summary>
    public static Kernels.Blas.GemmActivation Fused(BertActivation activation) => activation switch
    {
        BertActivation.Gelu => Kernels.Blas.GemmActivation.GeluErf,
        BertActivation.Relu => Kernels.Blas.GemmActivation.Relu,
        _ => Kernels.Blas.GemmActivation.GeluTanh,
    };
}
