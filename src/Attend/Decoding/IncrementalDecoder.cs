// Token-by-token decoding state for any Seq2SeqModel, so that greedy, sampled and beam decoding are written once:
// the Transformer's KV cache (KvCacheDecoder) and the RNN decoder's state (RnnStepDecoder) both feed one token per
// hypothesis and return next-token logits, and both reorder their hypotheses by gathering rows.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Step-by-step decoder state for n hypotheses of one model.</summary>
public abstract class IncrementalDecoder
{
    /// <summary>Feeds one token per hypothesis and returns next-token logits (n, V).</summary>
    public abstract Tensor Step(int[] tokens);

    /// <summary>Keeps hypotheses <paramref name="parents"/> (indices into the current ones, repeats allowed), in that order.</summary>
    public abstract void Reorder(int[] parents);

    /// <summary>
    /// Pads <paramref name="sources"/> (ids without BOS) to the longest with the pad id, encodes them and returns the
    /// decoder (one row each), with room for <paramref name="outputLength"/> tokens before its cache grows.
    /// </summary>
    public static IncrementalDecoder Start(Seq2SeqModel model, IReadOnlyList<int[]> sources, int outputLength = 64)
    {
        int b = sources.Count, s = Math.Max(1, sources.Max(x => x.Length));
        var src = new int[b * s];
        Array.Fill(src, model.PadId);
        for (int i = 0; i < b; i++) sources[i].CopyTo(src, i * s);
        return Start(model, src, b, s, outputLength);
    }

    /// <summary>Encodes src (B, S) ids (padded with the model's pad id) and returns the decoder ready for its first token.</summary>
    public static IncrementalDecoder Start(Seq2SeqModel model, int[] src, int batch, int length, int outputLength = 64)
    {
        using var _ = GradMode.Off();
        return model switch
        {
            Seq2SeqTransformer t => new KvCacheDecoder(t, t.Encode(src, batch, length), t.PaddingMask(src, batch, length), outputLength),
            RnnSeq2Seq r => new RnnStepDecoder(r, r.Encode(src, batch, length)),
            _ => throw new NotSupportedException($"no incremental decoder for {model.GetType().Name}"),
        };
    }
}

/// <summary>The RNN decoder's state as an <see cref="IncrementalDecoder"/>.</summary>
public sealed class RnnStepDecoder(RnnSeq2Seq model, RnnDecoderState state) : IncrementalDecoder
{
    /// <summary>The state (its <c>Weights</c> are the last step's attention, (n, 1, S)).</summary>
    public RnnDecoderState State => state;

    public override Tensor Step(int[] tokens)
    {
        using var _ = GradMode.Off();
        return model.Step(state, tokens);
    }

    public override void Reorder(int[] parents)
    {
        using var _ = GradMode.Off();
        RnnSeq2Seq.Reorder(state, parents);
    }
}
