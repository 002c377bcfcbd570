// What decoding is asked for and what it returns: the options of greedy and beam search (limits, width, length
// penalty as ../shared/golden/README.md §4.7 and GNMT define it) and a finished hypothesis. The decoders are
// Decoders (greedy, sampling, one source's beam) and BatchedBeam (beam search over many sources).

namespace Attend.Decoding;

/// <summary>A finished hypothesis: generated ids (EOS included when produced, BOS excluded), raw log-prob and normalised score.</summary>
public sealed record Hypothesis(int[] Tokens, double LogProb, double Score);

/// <summary>How beam scores are normalised by length.</summary>
public enum LengthPenalty
{
    /// <summary>score / len^α (../shared/golden/README.md §4.7).</summary>
    Power,
    /// <summary>score / ((5 + len) / 6)^α (Wu et al. 2016).</summary>
    Gnmt,
}

/// <summary>Decoding options.</summary>
public sealed record DecodeOptions(int MaxLength = 128, int BeamWidth = 4, float Alpha = 0.6f, LengthPenalty Penalty = LengthPenalty.Power,
    int MinLength = 0, int NBest = 1)
{
    /// <summary>The widest beam accepted (docs/limits.md): wider beams cost memory in proportion and do not translate better.</summary>
    public const int MaxBeamWidth = 256;

    /// <summary>Most decoder rows (sources × beam) one batched beam search keeps at once; wider beams decode fewer sources together.</summary>
    public const int MaxBeamRows = 2048;

    /// <summary>The length-normalised score of a hypothesis.</summary>
    public double Normalise(double logProb, int length) => Penalty switch
    {
        LengthPenalty.Gnmt => logProb / Math.Pow((5.0 + length) / 6.0, Alpha),
        _ => logProb / Math.Pow(Math.Max(1, length), Alpha),
    };
}

