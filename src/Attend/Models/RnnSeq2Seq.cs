// The RNN encoder-decoder with attention, the baseline the Transformer replaced:
//   encoder: embedding → dropout → bidirectional GRU/LSTM over the real source lengths → outputs (B, S, 2·He);
//            the decoder's first state is tanh(W·[last forward state; last backward state]) (Bahdanau et al. 2015,
//            as in Ben Trevett's PyTorch Seq2Seq tutorials 3–4), an LSTM's first cell state is zero;
//   Bahdanau decoder step: attention with the previous state as query, score vᵀtanh(W₁h + W₂m) (W₂m precomputed),
//            context c; the cell reads [embedding; c]; the output layer reads [h; c; embedding];
//   Luong decoder step ("dot" or "general"): the cell reads [embedding; h̃ of the previous step] (input feeding), the
//            new state attends with score hᵀm or hᵀW m, and h̃ = tanh(W_c[c; h]) is what the output layer reads.
// Dropout applies to the embeddings and to the output layer's input. Teacher forcing runs the same step as decoding
// and projects all steps' features to the vocabulary in one product at the end.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>
/// The decoder's state for n hypotheses, advanced one token at a time by <see cref="RnnSeq2Seq.Step"/> and reordered
/// row-wise for beam search by <see cref="RnnSeq2Seq.Reorder"/>.
/// </summary>
public sealed class RnnDecoderState
{
    internal RnnDecoderState(Tensor memory, Tensor? keys, Mask memoryPad, Tensor h, Tensor? c, Tensor? feed) =>
        (Memory, Keys, MemoryPad, H, C, Feed) = (memory, keys, memoryPad, h, c, feed);

    /// <summary>Encoder outputs (n, S, 2·He).</summary>
    public Tensor Memory { get; internal set; }
    /// <summary>Precomputed key projections: Bahdanau W₂m (n, S, A), Luong-general W m (n, S, Hd); null for dot.</summary>
    public Tensor? Keys { get; internal set; }
    /// <summary>Source padding (n, 1, S), true = padding.</summary>
    public Mask MemoryPad { get; internal set; }
    /// <summary>Decoder state (n, Hd).</summary>
    public Tensor H { get; internal set; }
    /// <summary>LSTM cell state (n, Hd), else null.</summary>
    public Tensor? C { get; internal set; }
    /// <summary>Luong's attentional state h̃ of the previous step (n, Hd), fed back as input; null for Bahdanau.</summary>
    public Tensor? Feed { get; internal set; }
    /// <summary>The last step's attention weights (n, 1, S).</summary>
    public Tensor? Weights { get; internal set; }

    /// <summary>Hypotheses (rows).</summary>
    public int Rows => H.Shape[0];
}

/// <summary>A bidirectional-RNN encoder and an attentional RNN decoder (Bahdanau or Luong).</summary>
public sealed class RnnSeq2Seq : Seq2SeqModel
{
    /// <summary>The "rnn-seq2seq" model directory: translates; tokenizer.json optional.</summary>
    public static ModelKind<RnnSeq2Seq, RnnSeq2SeqConfig> Kind { get; } = new("rnn-seq2seq", [ModelUse.Translate],
        c => new RnnSeq2Seq(c, new Rng(0)), m => m.Config, c => c.Problem(), c => c.VocabSize);

    public RnnSeq2Seq(RnnSeq2SeqConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("model config: " + problem);
        Config = config;
        var cell = config.Cell;
        int e = config.EmbeddingDim, he = config.EncoderHidden, hd = config.DecoderHidden, m = 2 * he;
        SourceEmbedding = Child("encoder.embedding", new Embedding(config.VocabSize, e, rng, config.PadId));
        Encoder = Child("encoder.rnn", new Recurrent(cell, e, he, rng, config.EncoderLayers, bidirectional: true));
        Bridge = Child("encoder.fc", new Linear(m, hd, rng));
        TargetEmbedding = Child("decoder.embedding", new Embedding(config.VocabSize, e, rng, config.PadId));
        Cell = Child("decoder.rnn", new Recurrent(cell, e + (config.IsLuong ? hd : m), hd, rng));
        if (config.Attention == RnnAttention.Bahdanau) Additive = Child("decoder.attention", new AdditiveAttention(hd, m, config.AttentionDim, rng));
        if (config.Attention == RnnAttention.General) General = Child("decoder.attention", new GeneralAttention(hd, m, rng));
        if (config.Attention == RnnAttention.Location) Location = Child("decoder.attention", new LocationAttention(hd, config.MaxSourceLength, rng));
        if (config.Attention == RnnAttention.Cosine) Sharpness = Parameter("decoder.attention.beta", Tensor.Full(MathF.Sqrt(hd), 1));
        if (config.IsLuong) Combine = Child("decoder.combine", new Linear(m + hd, hd, rng));
        OutputFeatures = config.IsLuong ? hd : hd + m + e;
        Output = Child("decoder.fc_out", new Linear(OutputFeatures, config.VocabSize, rng));
        Drop = Child("dropout", new Dropout(config.Dropout, rng.Fork()));
    }

    public RnnSeq2SeqConfig Config { get; }
    public override int VocabSize => Config.VocabSize;
    public override int MaxSourceLength => Config.Attention == RnnAttention.Location ? Config.MaxSourceLength : base.MaxSourceLength;
    public override int PadId => Config.PadId;
    public override int BosId => Config.BosId;
    public override int EosId => Config.EosId;

    public Embedding SourceEmbedding { get; }
    public Recurrent Encoder { get; }
    /// <summary>Maps the encoder's final states to the decoder's first state: (2·He) → Hd.</summary>
    public Linear Bridge { get; }
    public Embedding TargetEmbedding { get; }
    /// <summary>The decoder cell (one layer, one direction).</summary>
    public Recurrent Cell { get; }
    public AdditiveAttention? Additive { get; }
    public GeneralAttention? General { get; }
    public LocationAttention? Location { get; }
    /// <summary>The cosine attention's β (1).</summary>
    public Tensor? Sharpness { get; }
    /// <summary>Luong's W_c: [c; h] (2·He + Hd) → Hd.</summary>
    public Linear? Combine { get; }
    /// <summary>Width F of the output layer's input.</summary>
    public int OutputFeatures { get; }
    /// <summary>F → V.</summary>
    public Linear Output { get; }
    private Dropout Drop { get; }

    /// <summary>src: (B, S) ids padded at the end → the decoder's starting state for B rows.</summary>
    public RnnDecoderState Encode(int[] src, int batch, int length)
    {
        var lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            int n = length;
            while (n > 0 && src[b * length + n - 1] == PadId) n--;
            lengths[b] = n;
        }
        var x = Drop.Forward(SourceEmbedding.Forward(src, batch, length));                      // (B, S, E)
        var r = Encoder.Forward(x, lengths: lengths);                                          // (B, S, 2He), (2L, B, He)
        int he = Config.EncoderHidden, last = 2 * (Config.EncoderLayers - 1);
        var final = Ops.Concat([Ops.Reshape(Ops.Slice(r.HiddenN, 0, last, 1), batch, he),
                                Ops.Reshape(Ops.Slice(r.HiddenN, 0, last + 1, 1), batch, he)], -1); // (B, 2He)
        var h = Ops.Tanh(Bridge.Forward(final));                                               // (B, Hd)
        var c = Config.Cell == CellType.Lstm ? Tensor.Zeros(batch, Config.DecoderHidden) : null;
        var keys = Additive is not null ? Additive.W2.Forward(r.Output)                         // (B, S, A)
            : General is not null ? General.W.Forward(r.Output)                                // (B, S, Hd)
            : null;
        var pad = new Mask(PaddingMask(src, batch, length).Data, new Shape(batch, 1, length));
        var feed = Config.IsLuong ? Tensor.Zeros(batch, Config.DecoderHidden) : null;
        return new RnnDecoderState(r.Output, keys, pad, h, c, feed);
    }

    /// <summary>
    /// One decoder step: embedded previous tokens (n, E) → the output layer's input (n, F), before dropout. Advances
    /// <paramref name="state"/> and records its attention weights.
    /// </summary>
    public Tensor StepFeatures(RnnDecoderState state, Tensor embedded)
    {
        int n = state.Rows, s = state.Memory.Shape[1], m = state.Memory.Shape[2];
        if (Additive is not null)
        {
            var q = Ops.Reshape(Additive.W1.Forward(state.H), n, 1, -1);                       // (n, 1, A)
            var scores = Ops.Reshape(Additive.V.Forward(Ops.Tanh(Ops.Add(q, state.Keys!))), n, 1, s); // (n, 1, S)
            var a = Attention.Apply(scores, state.Memory, state.MemoryPad);                    // (n, 1, 2He)
            var context = Ops.Reshape(a.Context, n, m);                                        // (n, 2He)
            (state.H, state.C) = Cell.Step(Ops.Concat([embedded, context], -1), state.H, state.C);
            state.Weights = a.Weights;
            return Ops.Concat([state.H, context, embedded], -1);                               // (n, Hd + 2He + E)
        }
        (state.H, state.C) = Cell.Step(Ops.Concat([embedded, state.Feed!], -1), state.H, state.C);
        var query = Ops.Reshape(state.H, n, 1, -1);                                            // (n, 1, Hd)
        var luong = Location is not null ? Location.Forward(query, state.Memory, state.MemoryPad)                         // (n, 1, 2He)
            : Sharpness is not null ? Attention.Cosine(query, state.Memory, state.Memory, Sharpness, state.MemoryPad, eps: 1e-6f)
            : Attention.Dot(query, state.Keys ?? state.Memory, state.Memory, state.MemoryPad);
        state.Weights = luong.Weights;
        state.Feed = Ops.Tanh(Combine!.Forward(Ops.Concat([Ops.Reshape(luong.Context, n, m), state.H], -1))); // (n, Hd)
        return state.Feed;
    }

    /// <summary>One decoding step: previous tokens (n) → logits (n, V); advances <paramref name="state"/>.</summary>
    public Tensor Step(RnnDecoderState state, int[] tokens)
    {
        int n = state.Rows;
        if (tokens.Length != n) throw new ArgumentException($"{tokens.Length} tokens for {n} hypotheses");
        var embedded = Drop.Forward(Ops.Reshape(TargetEmbedding.Forward(tokens, n, 1), n, -1)); // (n, E)
        return Output.Forward(Drop.Forward(StepFeatures(state, embedded)));                    // (n, V)
    }

    /// <summary>Keeps the state rows <paramref name="rows"/> (in that order; repeats allowed), for beam search.</summary>
    public static void Reorder(RnnDecoderState state, int[] rows)
    {
        Tensor Pick(Tensor t) => Ops.IndexSelect(t, 0, rows);
        state.Memory = Pick(state.Memory);
        state.Keys = state.Keys is null ? null : Pick(state.Keys);
        state.MemoryPad = state.MemoryPad.Rows(rows);
        state.H = Pick(state.H);
        state.C = state.C is null ? null : Pick(state.C);
        state.Feed = state.Feed is null ? null : Pick(state.Feed);
        state.Weights = state.Weights is null ? null : Pick(state.Weights);
    }

    /// <summary>Teacher-forced logits (B, T, V) for src (B, S) and tgtIn (B, T).</summary>
    public override Tensor Forward(int[] src, int srcLength, int[] tgtIn, int tgtLength, int batch)
    {
        var state = Encode(src, batch, srcLength);
        var embedded = Drop.Forward(TargetEmbedding.Forward(tgtIn, batch, tgtLength));         // (B, T, E)
        var steps = new Tensor[tgtLength];
        for (int t = 0; t < tgtLength; t++)
        {
            var e = Ops.Reshape(Ops.Slice(embedded, 1, t, 1), batch, -1);                      // (B, E)
            steps[t] = Ops.Reshape(StepFeatures(state, e), batch, 1, OutputFeatures);          // (B, 1, F)
        }
        return Output.Forward(Drop.Forward(Ops.Concat(steps, 1)));                              // (B, T, V)
    }
}
