// Index maps: for each flat index of an output, the flat index it reads in a source laid out with given per-axis
// strides (a stride of 0 repeats the source along that axis). Permute reads through one, broadcasting through another
// (zero strides), and their backward passes scatter-add through the same map.
namespace Attend.Autograd;

/// <summary>Strided index maps and the scatter-add through them.</summary>
internal static class IndexMap
{
    /// <summary>For each flat index of an output of <paramref name="outDims"/>, the source index under per-axis <paramref name="srcStrides"/>.</summary>
    public static int[] Strided(int[] outDims, int[] srcStrides)
    {
        int size = 1;
        foreach (int d in outDims) size *= d;
        var map = new int[size];
        var idx = new int[outDims.Length];
        int pos = 0;
        for (int flat = 0; flat < size; flat++)
        {
            map[flat] = pos;
            for (int d = outDims.Length - 1; d >= 0; d--)
            {
                idx[d]++;
                pos += srcStrides[d];
                if (idx[d] < outDims[d]) break;
                pos -= srcStrides[d] * outDims[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /// <summary>dst[map[i]] += values[i] for every i (repeated targets add up).</summary>
    public static void ScatterAdd(Span<float> dst, int[] map, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < map.Length; i++) dst[map[i]] += values[i];
    }
}
