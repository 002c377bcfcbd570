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

    [ThreadStatic] private static int t_skipRandomInit;

    /// <summary>
    /// Until the scope is disposed, <see cref="Uniform"/> and <see cref="Normal"/> on this thread return zeros and draw
    /// nothing: for building a model whose every parameter and buffer stored weights then overwrite
    /// (ModelDirectory.Build). Drawing 22 million normal values was 40 % of loading all-MiniLM-L6-v2.
    /// </summary>
    internal static RandomInitScope SkipRandomInit(bool skip = true)
    {
        if (skip) t_skipRandomInit++;
        return new RandomInitScope(skip);
    }

    /// <summary>Whether a <see cref="SkipRandomInit"/> scope is open on this thread (modules that draw weights themselves skip it too).</summary>
    internal static bool SkippingRandomInit => t_skipRandomInit > 0;

    /// <summary>Ends <see cref="SkipRandomInit"/>.</summary>
    internal readonly struct RandomInitScope(bool active) : IDisposable
    {
        public void Dispose()
        {
            if (active) t_skipRandomInit--;
        }
    }

    /// <summary>Uniform values in [lo, hi).</summary>
    public static Tensor Uniform(Rng rng, float lo, float hi, params int[] dims)
    {
        var t = Zeros(dims);
        if (t_skipRandomInit > 0) return t;
        for (int i = 0; i < t.Size; i++) t.Data[i] = rng.Uniform(lo, hi);
        return t;
    }

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] dims)
    {
        var t = Zeros(dims);
        if (t_skipRandomInit > 0) return t;
        for (int i = 0; i < t.Size; i++) t.Data[i] = mean + std * rng.Normal();
        return t;
    }
}
