// Where the decoder looked: the cross-attention weights for one source and its (decoded) output, computed by
// teacher-forcing the output through the decoder and capturing each Transformer layer's encoder-decoder attention,
// averaged over heads, or the RNN decoder's attention at each step (what Bahdanau et al. 2015, fig. 3, and the
// Annotated Transformer draw).
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Extracts cross-attention weights.</summary>
public static class CrossAttentionMap
{
    /// <summary>
    /// src: (S) ids, output: (T) ids (without BOS) → one (T, S) row-major array per decoder layer: row t is the
    /// attention of the step that predicted output[t] over the source tokens (heads averaged).
    /// </summary>
    public static List<float[]> Compute(Seq2SeqModel model, int[] src, int[] output) => model switch
    {
        Seq2SeqTransformer t => Compute(t, src, output),
        RnnSeq2Seq r => [Compute(r, src, output)],
        _ => throw new NotSupportedException($"no attention map for {model.GetType().Name}"),
    };

    /// <summary>The RNN decoder's attention (T, S): row t is the step that predicted output[t].</summary>
    public static float[] Compute(RnnSeq2Seq model, int[] src, int[] output)
    {
        using var _ = GradMode.Off();
        int s = src.Length, t = output.Length;
        if (s == 0 || t == 0) throw new ArgumentException("cross-attention needs a non-empty source and output");
        var state = model.Encode(src, 1, s);
        var map = new float[t * s];
        int previous = model.BosId;
        for (int i = 0; i < t; i++)
        {
            model.Step(state, [previous]);
            state.Weights!.Data.AsSpan(0, s).CopyTo(map.AsSpan(i * s, s));                 // (1, 1, S)
            previous = output[i];
        }
        return map;
    }

    /// <summary>The Transformer's maps, one per decoder layer.</summary>
    public static List<float[]> Compute(Seq2SeqTransformer model, int[] src, int[] output)
    {
        using var _ = GradMode.Off();
        var cfg = model.Config;
        int s = src.Length, t = output.Length;
        if (s == 0 || t == 0) throw new ArgumentException("cross-attention needs a non-empty source and output");
        var memory = model.Encode(src, 1, s);                                   // (1, S, d)
        var tgtIn = new[] { cfg.BosId }.Concat(output[..^1]).ToArray();        // (1, T): BOS + output without its last token
        var y = model.Embed(tgtIn, 1, t);                                       // (1, T, d)
        var causal = Mask.Causal(t);
        var maps = new List<float[]>();
        foreach (var layer in model.Transformer.Decoder.Layers)
        {
            Tensor? weights = null;
            y = layer.Compose(y,
                x => layer.SelfAttn.Forward(x, x, x, null, causal, needWeights: false).Output,
                x =>
                {
                    var r = layer.CrossAttn.Forward(x, memory, memory, null, null, needWeights: true);
                    weights = r.Weights;                                        // (1, T, S)
                    return r.Output;
                });
            maps.Add((float[])weights!.Data.Clone());
        }
        return maps;
    }
}
