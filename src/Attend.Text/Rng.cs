// A seedable, serialisable random generator (xoshiro128**, Blackman & Vigna 2018, seeded through SplitMix64) so a
// seed reproduces a run exactly and a checkpoint can save and restore the stream. It lives in the lowest assembly,
// in the root namespace, so that every layer that needs randomness (text batching included) draws from it.
using System.Numerics;

namespace Attend;

/// <summary>Deterministic pseudo-random numbers. Not thread-safe: give each consumer its own instance.</summary>
public sealed class Rng
{
    private uint _s0, _s1, _s2, _s3;
    private float? _spareNormal;

    /// <summary>Creates a generator whose whole stream is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        ulong a = SplitMix(ref x), b = SplitMix(ref x);
        _s0 = (uint)a; _s1 = (uint)(a >> 32); _s2 = (uint)b; _s3 = (uint)(b >> 32);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    /// <summary>The generator's state, for checkpoints.</summary>
    public uint[] GetState() => [_s0, _s1, _s2, _s3, _spareNormal.HasValue ? 1u : 0u, BitConverter.SingleToUInt32Bits(_spareNormal ?? 0f)];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(uint[] state)
    {
        if (state.Length != 6) throw new ArgumentException($"an Rng state has 6 words, got {state.Length}");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _spareNormal = state[4] != 0 ? BitConverter.UInt32BitsToSingle(state[5]) : null;
    }

    /// <summary>A new generator seeded from this one (for independent sub-streams).</summary>
    public Rng Fork() => new(((ulong)NextUInt() << 32) | NextUInt());

    /// <summary>Uniform 32-bit integer.</summary>
    public uint NextUInt()
    {
        uint result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform float in [0, 1).</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="n"/>).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "the range must be positive");
        return (int)(((ulong)NextUInt() * (ulong)n) >> 32);
    }

    /// <summary>Uniform float in [lo, hi).</summary>
    public float Uniform(float lo, float hi) => lo + (hi - lo) * NextFloat();

    /// <summary>Standard normal (Box–Muller, both values used).</summary>
    public float Normal()
    {
        if (_spareNormal is float spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1 = 1.0 - NextFloat(), u2 = NextFloat();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = (float)(r * Math.Sin(2 * Math.PI * u2));
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A seed derived from <paramref name="seed"/> and <paramref name="parts"/> (e.g. step, module index) by chained SplitMix64.</summary>
    public static ulong Derive(ulong seed, params ReadOnlySpan<long> parts)
    {
        ulong x = seed;
        ulong h = SplitMix(ref x);
        foreach (long p in parts)
        {
            x = h ^ (ulong)p;
            h = SplitMix(ref x);
        }
        return h;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
