// Constructors of common tensors: zeros, ones, filled, from values, random uniform/normal from an explicit Rng.
namespace Attend.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] dims)
    {
        AllocationBudget.Take(dims);
        var shape = new Shape(dims);
        return new(new float[shape.Size], shape);
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] dims)
    {
        var t = Zeros(dims);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] dims) => Full(1f, dims);

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(float value) => new([value], new Shape());

    /// <summary>A tensor over a copy of <paramref name="values"/> with the given dims.</summary>
    public static Tensor FromValues(ReadOnlySpan<float> values, params int[] dims) => new(values.ToArray(), new Shape(dims));

    /// <summary>Uniform values in [lo, hi).</summary>
    public static Tensor Uniform(Rng rng, float lo, float hi, params int[] dims)
    {
        var t = Zeros(dims);
        for (int i = 0; i < t.Size; i++) t.Data[i] = rng.Uniform(lo, hi);
        return t;
    }

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] dims)
    {
        var t = Zeros(dims);
        for (int i = 0; i < t.Size; i++) t.Data[i] = mean + std * rng.Normal();
        return t;
    }
}
