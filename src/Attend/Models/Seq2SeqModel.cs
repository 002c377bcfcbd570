// What every translation model offers the trainer, the decoders and the translator: its special ids and vocabulary,
// and teacher-forced logits. The Transformer (Seq2SeqTransformer) and the RNN with attention (RnnSeq2Seq) are
// both Seq2SeqModels; step-by-step decoding of each lives in Decoding/ (IncrementalDecoder.Start).
using Attend.Nn;

namespace Attend.Models;

/// <summary>An encoder-decoder model over one shared vocabulary.</summary>
public abstract class Seq2SeqModel : Module
{
    /// <summary>Vocabulary size V (source and target share the ids).</summary>
    public abstract int VocabSize { get; }
    public abstract int PadId { get; }
    public abstract int BosId { get; }
    public abstract int EosId { get; }

    /// <summary>The longest source (tokens with EOS) the model takes: a Transformer's positions; RNNs have no limit of their own.</summary>
    public virtual int MaxSourceLength => 4096;

    /// <summary>
    /// The most tokens the decoder can produce for one source (EOS included): a Transformer's positions, as BOS takes
    /// position 0 and the last fed token the position before the limit. Decoders stop there.
    /// </summary>
    public virtual int MaxTargetLength => int.MaxValue;

    /// <summary>Teacher-forced logits (B, T, V) for src (B, S) and tgtIn (B, T), both padded with <see cref="PadId"/>.</summary>
    public abstract Tensors.Tensor Forward(int[] src, int srcLength, int[] tgtIn, int tgtLength, int batch);

    /// <summary>The padding mask (B, T) of ids: true where id = pad.</summary>
    public Tensors.Mask PaddingMask(int[] ids, int batch, int length) =>
        new(ids.Select(id => id == PadId).ToArray(), new Tensors.Shape(batch, length));
}
