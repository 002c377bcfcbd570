// The token encoder shared by classifiers and taggers.
//   transformer: tok_emb(ids) [‖ chars] + positions → dropout → L × nn.TransformerEncoderLayer with the key-padding
//                mask → final LayerNorm when pre-norm (nn.TransformerEncoder's norm)
//   lstm / gru:  tok_emb(ids) [‖ chars] → dropout → bidirectional L-layer RNN over the real lengths → dropout
// Word vectors start as N(0, 0.02) (sinusoidal positions: N(0, 1/E), scaled by √E). Parameter names follow PyTorch
// (tok_emb.weight, layers.0.self_attn.in_proj_weight, rnn.weight_ih_l0_reverse, …).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Models;

/// <summary>ids (B, T) → states (B, T, C_out); padding positions are ignored by attention and by the recurrence.</summary>
public sealed class SequenceEncoder : Module
{
    public SequenceEncoder(SequenceEncoderConfig config, Rng rng)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("encoder config: " + problem);
        Config = config;
        TokenEmbedding = Child("tok_emb", new Embedding(config.VocabSize, config.EmbedDim, rng, paddingIdx: 0));
        // small word vectors (GPT-2's N(0, 0.02); Keras uses U(±0.05)): Adam's steps of about lr then move them from the
        // start. Beside fixed sinusoidal positions of amplitude 1 they would drown, so there the vectors start at
        // N(0, 1/E) and are scaled by √E (Vaswani et al. §3.4): unit scale, with steps √E times larger.
        bool sinusoidal = config.Kind == EncoderKind.Transformer && config.Positions == PositionKind.Sinusoidal;
        EmbedScale = sinusoidal ? MathF.Sqrt(config.EmbedDim) : 1f;
        float std = sinusoidal ? 1f / MathF.Sqrt(config.EmbedDim) : 0.02f;
        var table = TokenEmbedding.Weight.Data.AsSpan(config.EmbedDim); // row 0 (padding) stays zero
        for (int i = 0; i < table.Length; i++) table[i] = std * rng.Normal();
        if (config.BigramBuckets > 0)
        {
            Bigrams = Child("bigram_emb", new Embedding(config.BigramBuckets, config.EmbedDim, rng));
            var rows = Bigrams.Weight.Data;
            for (int i = 0; i < rows.Length; i++) rows[i] = std * rng.Normal();
        }
        if (config.UsesCharacters) Characters = Child("chars", new CharacterFeatures(config.CharVocabSize, config.CharDim, config.CharHidden, rng));
        Drop = Child("drop", new Dropout(config.Dropout, rng.Fork()));
        int width = config.InputWidth;
        if (config.Kind == EncoderKind.Transformer)
        {
            Positions = Child("pos_emb", new PositionalEncoding(config.MaxLength, width, config.Positions == PositionKind.Learned, rng));
            var options = new TransformerLayerOptions(width, config.NumHeads, config.FeedforwardWidth, config.Dropout,
                config.Activation, config.LayerNormEps, config.NormFirst, config.AttentionDropout, config.HeadDim);
            var list = Child("layers", new ModuleList());
            Layers = Enumerable.Range(0, config.NumLayers).Select(_ => list.Add(new TransformerEncoderLayer(options, rng))).ToArray();
            if (config.NormFirst) Norm = Child("norm", new LayerNorm(width, config.LayerNormEps));
        }
        else
        {
            Rnn = Child("rnn", new Recurrent(config.Kind == EncoderKind.Lstm ? CellType.Lstm : CellType.Gru, width, config.HiddenSize, rng, config.NumLayers, bidirectional: true));
        }
    }

    public SequenceEncoderConfig Config { get; }

    /// <summary>Factor on the word vectors: √E beside sinusoidal positions, else 1.</summary>
    public float EmbedScale { get; }
    public Embedding TokenEmbedding { get; }
    /// <summary>Hashed bigram vectors (bigram_buckets > 0), added to the word vectors.</summary>
    public Embedding? Bigrams { get; }
    public CharacterFeatures? Characters { get; }
    public PositionalEncoding? Positions { get; }
    public TransformerEncoderLayer[] Layers { get; } = [];
    public LayerNorm? Norm { get; }
    public Recurrent? Rnn { get; }
    private Dropout Drop { get; }

    /// <summary>batch: ids (B, T) [and characters] → (B, T, <see cref="SequenceEncoderConfig.OutputWidth"/>).</summary>
    public Tensor Forward(TokenBatch batch)
    {
        int b = batch.Batch, t = batch.Length;
        var x = TokenEmbedding.Forward(batch.Ids, b, t);                                          // (B, T, E)
        if (Bigrams is not null) x = Ops.Add(x, Bigrams.Forward(BigramIds(batch.Ids, t, Config.BigramBuckets), b, t));
        if (EmbedScale != 1f) x = Ops.MulScalar(x, EmbedScale);
        if (Characters is not null)
        {
            if (batch.Chars is null || batch.CharLengths is null) throw new ArgumentException("this encoder uses character features: the batch needs characters");
            var c = Characters.Forward(batch.Chars, batch.CharLengths, b * t, batch.WordLength);   // (B·T, 2H_c)
            x = Ops.Concat([x, Ops.Reshape(c, b, t, 2 * Config.CharHidden)], -1);                  // (B, T, E + 2H_c)
        }
        if (Rnn is not null)
        {
            var states = Rnn.Forward(Drop.Forward(x), lengths: batch.Lengths).Output;              // (B, T, 2H)
            return Drop.Forward(states);
        }
        if (t > Config.MaxLength) throw new ArgumentException($"{t} tokens exceed the encoder's max_length of {Config.MaxLength}");
        x = Drop.Forward(Positions!.Forward(x));                                                   // (B, T, C)
        foreach (var layer in Layers) x = layer.Forward(x, keyPadding: batch.Padding);
        return Norm is null ? x : Norm.Forward(x);
    }

    /// <summary>
    /// The bigram row of every position: hash(previous word, word) mod buckets, where the first position of a sequence
    /// pairs with padding (0). ids: (B, T) flattened, length = T → (B·T).
    /// </summary>
    public static int[] BigramIds(int[] ids, int length, int buckets)
    {
        var rows = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            uint previous = i % length == 0 ? 0u : (uint)ids[i - 1];
            rows[i] = (int)(BagOfNgrams.Mix(previous, (uint)ids[i]) % (uint)buckets);
        }
        return rows;
    }
}
