// The average of several forecasters of the same series and horizon, each with its own look-back. A window of the
// longest look-back L comes in; member i sees its last L_i rows, and the forecasts are averaged step by step:
//   ŷ = (1/M) Σ_i f_i(x[:, L − L_i:, :])
// Averaging independently trained members (other seeds, other look-backs) removes part of the variance of the error
// (Dietterich 2000, "Ensemble methods in machine learning"); Marian and fairseq ensemble translation models the same
// way. Inference only: the members are trained one by one, each by `attend train forecast`.
using Attend.Tensors;

namespace Attend.Models;

/// <summary>Averages members' forecasts. x: (B, max L_i, C) → (B, H, C).</summary>
public sealed class EnsembleForecaster : Forecaster
{
    public EnsembleForecaster(IReadOnlyList<Forecaster> members) : base(ConfigOf(members))
    {
        Members = members.ToArray();
        for (int i = 0; i < Members.Length; i++) Child($"member{i}", Members[i]);
    }

    public Forecaster[] Members { get; }

    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        int b = x.Shape[0], l = Config.Lookback, c = Config.Channels;
        var sum = new float[b * Config.Horizon * c];
        foreach (var member in Members)
        {
            int li = member.Config.Lookback;
            var window = li == l ? x : new Tensor(TailRows(x.Data, b, l, li, c), new Shape(b, li, c));
            var forecast = member.Forward(window).Data; // (B, H, C)
            for (int k = 0; k < sum.Length; k++) sum[k] += forecast[k];
        }
        float inv = 1f / Members.Length;
        for (int k = 0; k < sum.Length; k++) sum[k] *= inv;
        return new Tensor(sum, new Shape(b, Config.Horizon, c));
    }

    // x: (B, L, C) → its last li rows per window, (B, li, C)
    private static float[] TailRows(float[] x, int b, int l, int li, int c)
    {
        var tail = new float[b * li * c];
        for (int n = 0; n < b; n++)
            Array.Copy(x, (n * l + l - li) * c, tail, n * li * c, li * c);
        return tail;
    }

    // the longest member's config stands for the ensemble: its look-back is the window the ensemble reads
    private static ForecasterConfig ConfigOf(IReadOnlyList<Forecaster> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        var first = members[0].Config;
        foreach (var m in members)
            if (m.Config.Horizon != first.Horizon || m.Config.Channels != first.Channels)
                throw new ArgumentException($"ensemble members must share horizon and channels: ({first.Horizon}, {first.Channels}) against ({m.Config.Horizon}, {m.Config.Channels})");
        return members.MaxBy(m => m.Config.Lookback)!.Config;
    }
}
