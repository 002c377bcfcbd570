// Pooling a padded sequence of vectors into one vector per sequence, ignoring padding: the masked mean (Keras
// GlobalAveragePooling1D with a mask), the masked max (GlobalMaxPooling1D; padding never wins) and the first position
// (BERT's [CLS]). Composed of differentiable ops, so gradients flow to the positions that were pooled.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>How a classifier reduces (B, T, C) states to (B, C).</summary>
[JsonConverter(typeof(Attend.Text.SnakeCaseEnums))]
public enum Pooling
{
    /// <summary>The state at position 0, where the classifier puts its [CLS] token.</summary>
    Cls,
    /// <summary>The mean over real positions.</summary>
    Mean,
    /// <summary>The element-wise max over real positions.</summary>
    Max,
}

/// <summary>Masked pooling over time.</summary>
public static class SequencePooling
{
    /// <summary>x: (B, T, C), padding: (B, T) true at padding (each row has a real position) → (B, C).</summary>
    public static Tensor Pool(Tensor x, Mask padding, Pooling pooling)
    {
        int b = x.Shape[0], t = x.Shape[1], c = x.Shape[2];
        if (padding.Shape != new Shape(b, t)) throw new ArgumentException($"padding mask {padding.Shape} does not match states {x.Shape}");
        switch (pooling)
        {
            case Pooling.Cls:
                return Ops.Reshape(Ops.Slice(x, 1, 0, 1), b, c);                                   // (B, C)
            case Pooling.Max:
                return Ops.Max(Ops.MaskedFill(x, Column(padding, b, t), float.NegativeInfinity), 1); // (B, C)
            default:
                var keep = new float[b * t];
                var counts = new float[b];
                for (int i = 0; i < b; i++)
                {
                    for (int j = 0; j < t; j++)
                    {
                        if (padding.Data[i * t + j]) continue;
                        keep[i * t + j] = 1f;
                        counts[i]++;
                    }
                    if (counts[i] == 0) throw new ArgumentException($"sequence {i} of the batch has no real position to pool");
                }
                var summed = Ops.Sum(Ops.Mul(x, new Tensor(keep, new Shape(b, t, 1))), 1);       // (B, C)
                return Ops.Div(summed, new Tensor(counts, new Shape(b, 1)));                      // (B, C)
        }
    }

    /// <summary>Parses "cls", "mean" or "max".</summary>
    public static Pooling Parse(string name) => name switch
    {
        "cls" => Pooling.Cls,
        "mean" => Pooling.Mean,
        "max" => Pooling.Max,
        _ => throw new ArgumentException($"pooling must be cls, mean or max, got \"{name}\""),
    };

    // (B, T) → (B, T, 1), so the mask broadcasts over the feature axis
    private static Mask Column(Mask padding, int b, int t) => new(padding.Data, new Shape(b, t, 1));
}
