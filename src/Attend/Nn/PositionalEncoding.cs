// Position information added to token embeddings: Vaswani et al.'s sinusoids (interleaved: even columns
// sin(pos/10000^(2i/d)), odd columns cos of the same frequency, positions from 0) or a learned (maxLen, d) table.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>How positions enter a model (configs: "learned", "sinusoidal").</summary>
[JsonConverter(typeof(Attend.Text.SnakeCaseEnums))]
public enum PositionKind
{
    /// <summary>A trained table (GPT-2, BERT).</summary>
    Learned,

    /// <summary>The fixed sines and cosines of Vaswani et al.</summary>
    Sinusoidal,
}

/// <summary>Where a sinusoidal table puts the sines and cosines of one frequency (configs: "interleaved", "sines_then_cosines").</summary>
[JsonConverter(typeof(Attend.Text.SnakeCaseEnums))]
public enum SinusoidLayout
{
    /// <summary>Column 2i the sine, 2i + 1 the cosine (Vaswani et al., fairseq, PyTorch tutorials).</summary>
    Interleaved,

    /// <summary>All sines in the first half, all cosines in the second (Marian, Hugging Face's MarianMTModel).</summary>
    SinesThenCosines,
}

/// <summary>Sinusoidal positional encoding.</summary>
public static class Sinusoidal
{
    /// <summary>The (n, d) table of frequencies 10000^(−2i/d), laid out as <paramref name="layout"/> says; d must be even.</summary>
    public static Tensor Table(int n, int d, SinusoidLayout layout = SinusoidLayout.Interleaved)
    {
        if (d % 2 != 0) throw new ArgumentException($"sinusoidal encoding needs an even dimension, got {d}");
        AllocationBudget.Take([n, d]);
        var data = new float[new Shape(n, d).Size];
        for (int pos = 0; pos < n; pos++)
        {
            for (int i = 0; i < d / 2; i++)
            {
                double angle = pos / Math.Pow(10000.0, 2.0 * i / d);
                int sin = layout == SinusoidLayout.Interleaved ? 2 * i : i, cos = layout == SinusoidLayout.Interleaved ? 2 * i + 1 : d / 2 + i;
                data[pos * d + sin] = (float)Math.Sin(angle);
                data[pos * d + cos] = (float)Math.Cos(angle);
            }
        }
        return new Tensor(data, new Shape(n, d));
    }
}

/// <summary>Adds positions to (B, T, d) inputs, sinusoidal (fixed) or learned.</summary>
public sealed class PositionalEncoding : Module
{
    private readonly Tensor _table; // (maxLen, d)

    public PositionalEncoding(int maxLen, int d, bool learned, Rng rng)
    {
        Learned = learned;
        _table = learned ? Parameter("weight", Tensor.Normal(rng, 0f, 0.02f, maxLen, d)) : Sinusoidal.Table(maxLen, d);
    }

    public bool Learned { get; }

    /// <summary>Longest sequence the table covers.</summary>
    public int MaxLength => _table.Shape[0];

    /// <summary>x: (B, T, d) → x + table[offset : offset+T].</summary>
    public Tensor Forward(Tensor x, int offset = 0)
    {
        int t = x.Shape[-2];
        if (offset + t > MaxLength) throw new ArgumentException($"position {offset + t - 1} is beyond the positional table ({MaxLength} positions)");
        return Ops.Add(x, Ops.Slice(_table, 0, offset, t));
    }
}
