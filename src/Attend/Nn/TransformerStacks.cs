// Stacks of Transformer layers with the final LayerNorm nn.Transformer adds (transformer.encoder.norm,
// transformer.decoder.norm) unless told to leave it out (Marian's post-norm stacks have none), and the container named
// "transformer" that holds them.
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>N encoder layers then a final norm. (B, S, d) → (B, S, d).</summary>
public sealed class TransformerEncoder : Module
{
    public TransformerEncoder(TransformerLayerOptions o, int numLayers, Rng rng, bool finalNorm = true)
    {
        var stack = Child("layers", new ModuleList());
        Layers = Enumerable.Range(0, numLayers).Select(i => stack.Add(new TransformerEncoderLayer(o, rng))).ToArray();
        Norm = finalNorm ? Child("norm", new LayerNorm(o.DModel, o.LayerNormEps)) : null;
    }

    public TransformerEncoderLayer[] Layers { get; }
    /// <summary>The final norm, or null when the stack has none.</summary>
    public LayerNorm? Norm { get; }

    public Tensor Forward(Tensor src, Mask? keyPadding)
    {
        var x = src;
        foreach (var layer in Layers) x = layer.Forward(x, keyPadding);
        return Norm?.Forward(x) ?? x;
    }
}

/// <summary>N decoder layers then a final norm. (B, T, d), memory (B, S, d) → (B, T, d).</summary>
public sealed class TransformerDecoder : Module
{
    public TransformerDecoder(TransformerLayerOptions o, int numLayers, Rng rng, bool finalNorm = true)
    {
        var stack = Child("layers", new ModuleList());
        Layers = Enumerable.Range(0, numLayers).Select(i => stack.Add(new TransformerDecoderLayer(o, rng))).ToArray();
        Norm = finalNorm ? Child("norm", new LayerNorm(o.DModel, o.LayerNormEps)) : null;
    }

    public TransformerDecoderLayer[] Layers { get; }
    /// <summary>The final norm, or null when the stack has none.</summary>
    public LayerNorm? Norm { get; }

    public Tensor Forward(Tensor tgt, Tensor memory, Mask? tgtMask, Mask? tgtKeyPadding, Mask? memoryKeyPadding)
    {
        var y = tgt;
        foreach (var layer in Layers) y = layer.Forward(y, memory, tgtMask, tgtKeyPadding, memoryKeyPadding);
        return Norm?.Forward(y) ?? y;
    }
}

/// <summary>Numbered children ("0", "1", ...), like torch.nn.ModuleList.</summary>
public sealed class ModuleList : Module
{
    private int _count;

    /// <summary>Appends <paramref name="module"/> under the next index.</summary>
    public T Add<T>(T module) where T : Module => Child((_count++).ToString(System.Globalization.CultureInfo.InvariantCulture), module);
}

/// <summary>The "transformer" container of nn.Transformer: an encoder and a decoder.</summary>
public sealed class TransformerCore : Module
{
    public TransformerCore(TransformerLayerOptions o, int encoderLayers, int decoderLayers, Rng rng, bool finalNorms = true)
    {
        Encoder = Child("encoder", new TransformerEncoder(o, encoderLayers, rng, finalNorms));
        Decoder = Child("decoder", new TransformerDecoder(o, decoderLayers, rng, finalNorms));
    }

    public TransformerEncoder Encoder { get; }
    public TransformerDecoder Decoder { get; }
}
