// A boolean tensor for masking, with PyTorch's polarity: true = masked (padding, or not allowed to attend).
namespace Attend.Tensors;

/// <summary>Booleans with a shape; true means "masked".</summary>
public sealed class Mask
{
    /// <summary>Wraps <paramref name="data"/> (not copied).</summary>
    public Mask(bool[] data, Shape shape)
    {
        if (data.Length != shape.Size) throw new ArgumentException($"mask has {data.Length} elements but shape {shape} needs {shape.Size}");
        Data = data;
        Shape = shape;
    }

    /// <summary>The flags, row-major.</summary>
    public bool[] Data { get; }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>Rows <paramref name="rows"/> of the leading axis (repeats allowed), in that order: a copy.</summary>
    public Mask Rows(int[] rows)
    {
        int per = Shape[0] == 0 ? 0 : Shape.Size / Shape[0];
        var data = new bool[rows.Length * per];
        for (int r = 0; r < rows.Length; r++) Array.Copy(Data, rows[r] * per, data, r * per, per);
        var dims = Shape.ToArray();
        dims[0] = rows.Length;
        return new Mask(data, new Shape(dims));
    }

    /// <summary>(T, T) causal mask: true where key index j &gt; query index i.</summary>
    public static Mask Causal(int t)
    {
        var d = new bool[t * t];
        for (int i = 0; i < t; i++)
            for (int j = i + 1; j < t; j++) d[i * t + j] = true;
        return new Mask(d, new Shape(t, t));
    }

    /// <summary>(B, S) key-padding mask from lengths: true at positions ≥ length.</summary>
    public static Mask FromLengths(IReadOnlyList<int> lengths, int maxLength)
    {
        var d = new bool[lengths.Count * maxLength];
        for (int b = 0; b < lengths.Count; b++)
            for (int s = lengths[b]; s < maxLength; s++) d[b * maxLength + s] = true;
        return new Mask(d, new Shape(lengths.Count, maxLength));
    }
}
