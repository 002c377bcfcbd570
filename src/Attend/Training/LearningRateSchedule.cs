// Learning-rate schedules as functions of the step (1-based): constant, inverse square root with linear warm-up
// (Vaswani et al.'s "Noam" schedule, d^-0.5 · min(step^-0.5, step · warmup^-1.5), scaled by a factor, or fairseq's
// peak-normalised form), and cosine decay after linear warm-up.
namespace Attend.Training;

/// <summary>A learning rate for every step.</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate at <paramref name="step"/> (1-based).</summary>
    public abstract float At(long step);
}

/// <summary>The same rate throughout.</summary>
public sealed record ConstantSchedule(float Rate) : LearningRateSchedule
{
    public override float At(long step) => Rate;
}

/// <summary>Vaswani et al. 2017 §5.3: factor · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5).</summary>
public sealed record NoamSchedule(int DModel, int Warmup, float Factor = 1f) : LearningRateSchedule
{
    public override float At(long step)
    {
        double s = Math.Max(1, step);
        return (float)(Factor * Math.Pow(DModel, -0.5) * Math.Min(Math.Pow(s, -0.5), s * Math.Pow(Warmup, -1.5)));
    }
}

/// <summary>fairseq inverse_sqrt: linear warm-up to <paramref name="Peak"/>, then Peak · √(warmup/step).</summary>
public sealed record InverseSqrtSchedule(float Peak, int Warmup) : LearningRateSchedule
{
    public override float At(long step)
    {
        double s = Math.Max(1, step);
        return (float)(s < Warmup ? Peak * s / Warmup : Peak * Math.Sqrt((double)Warmup / s));
    }
}

/// <summary>Linear warm-up to <paramref name="Peak"/>, then half-cosine decay to <paramref name="Floor"/> at <paramref name="TotalSteps"/>.</summary>
public sealed record CosineSchedule(float Peak, int Warmup, long TotalSteps, float Floor = 0f) : LearningRateSchedule
{
    public override float At(long step)
    {
        double s = Math.Max(1, step);
        if (s < Warmup) return (float)(Peak * s / Warmup);
        double progress = Math.Clamp((s - Warmup) / Math.Max(1.0, TotalSteps - Warmup), 0, 1);
        return (float)(Floor + (Peak - Floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}

/// <summary>
/// Per-epoch exponential decay (PatchTST's "type3"): <paramref name="Rate"/> for the first <paramref name="StartEpoch"/>
/// + 1 epochs, then multiplied by <paramref name="Gamma"/> at every epoch: Rate · Gamma^max(0, e − StartEpoch) in the
/// 0-based epoch e = ⌊(step − 1) / StepsPerEpoch⌋.
/// </summary>
public sealed record EpochDecaySchedule(float Rate, long StepsPerEpoch, int StartEpoch, float Gamma) : LearningRateSchedule
{
    public override float At(long step)
    {
        long epoch = (Math.Max(1, step) - 1) / Math.Max(1, StepsPerEpoch);
        return (float)(Rate * Math.Pow(Gamma, Math.Max(0, epoch - StartEpoch)));
    }
}
