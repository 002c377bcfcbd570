// Reversible instance normalisation (RevIN, Kim et al. 2022), as PatchTST and RLinear use it: each series of each
// window is standardised by its own mean and standard deviation over time (statistics detached from the graph), an
// optional per-channel affine map follows, and the forecast is mapped back with the inverse. It removes the level
// and scale shifts between training and test periods that otherwise dominate the error on ETT. With subtractLast
// (PatchTST's subtract_last) each series is centred on its last value instead of its mean (still divided by the
// standard deviation around the mean), so a forecast starts from where the window ends.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Per-window statistics kept by <see cref="RevIn.Normalize"/> for <see cref="RevIn.Denormalize"/>: (B, 1, C) each.
/// Mean is the centre: the window mean, or its last value with subtract-last.</summary>
public sealed record InstanceStats(Tensor Mean, Tensor Std);

/// <summary>RevIN over x: (B, T, C), statistics over T.</summary>
public sealed class RevIn : Module
{
    private readonly Tensor? _weight, _bias; // (C)

    public RevIn(int channels, bool affine = true, float eps = 1e-5f, bool subtractLast = false)
    {
        Channels = channels;
        Eps = eps;
        SubtractLast = subtractLast;
        if (affine)
        {
            _weight = Parameter("affine_weight", Tensor.Ones(channels));
            _bias = Parameter("affine_bias", Tensor.Zeros(channels));
        }
    }

    public int Channels { get; }
    public float Eps { get; }
    /// <summary>Centre each series on its last value rather than its mean.</summary>
    public bool SubtractLast { get; }

    /// <summary>x: (B, T, C) → ((x − centre) / std · w + b, statistics), std = √(var + eps) with the biased variance,
    /// centre the mean over T or, with subtract-last, x[:, T − 1, :].</summary>
    public (Tensor Normalized, InstanceStats Stats) Normalize(Tensor x)
    {
        if (x.Shape[-1] != Channels) throw new ArgumentException($"RevIN expects {Channels} channels, got {x.Shape}");
        InstanceStats stats;
        using (GradMode.Off())
        {
            var mean = Ops.Mean(x, 1, keepDim: true);                                   // (B, 1, C)
            var centred = Ops.Sub(x, mean);
            var std = Ops.Sqrt(Ops.AddScalar(Ops.Mean(Ops.Mul(centred, centred), 1, keepDim: true), Eps)); // (B, 1, C)
            var centre = SubtractLast ? Ops.Slice(x, 1, x.Shape[1] - 1, 1) : mean; // (B, 1, C)
            stats = new InstanceStats(centre.Detach(), std.Detach());
        }
        var y = Ops.Div(Ops.Sub(x, stats.Mean), stats.Std);                            // (B, T, C)
        if (_weight is not null) y = Ops.Add(Ops.Mul(y, _weight), _bias!);
        return (y, stats);
    }

    /// <summary>y: (B, H, C) → ((y − b) / (w + eps²)) · std + centre.</summary>
    public Tensor Denormalize(Tensor y, InstanceStats stats)
    {
        if (_weight is not null) y = Ops.Div(Ops.Sub(y, _bias!), Ops.AddScalar(_weight, Eps * Eps));
        return Ops.Add(Ops.Mul(y, stats.Std), stats.Mean);
    }
}
