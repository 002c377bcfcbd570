// Index mapping for broadcast operands: runs a binary operator over two shapes that broadcast together, and sums a
// broadcast gradient back to an operand's shape. Fast paths: equal shapes, a scalar, and a trailing "row" operand.
using Attend.Kernels.Simd;
using Attend.Tensors;

namespace Attend.Autograd;

internal static class Broadcasting
{
    /// <summary>z (out) = TOp(a broadcast, b broadcast); z: out.Size.</summary>
    public static void Apply<TOp>(float[] a, Shape sa, float[] b, Shape sb, float[] z, Shape outShape) where TOp : struct, IBinaryOperator
    {
        if (sa == outShape && sb == outShape)
        {
            Elementwise.Binary<TOp>(a, b, z);
            return;
        }
        if (sa == outShape && sb.Size == 1)
        {
            Elementwise.BinaryScalar<TOp>(a, b[0], z);
            return;
        }
        if (sa == outShape && sb.Size != 1 && sb.IsTrailingOf(outShape))
        {
            int cols = sb.Size, rows = outShape.Size / Math.Max(cols, 1);
            for (int r = 0; r < rows; r++)
                Elementwise.Binary<TOp>(a.AsSpan(r * cols, cols), b, z.AsSpan(r * cols, cols));
            return;
        }
        var ia = Map(sa, outShape);
        var ib = Map(sb, outShape);
        for (int i = 0; i < z.Length; i++) z[i] = TOp.Invoke(a[ia[i]], b[ib[i]]);
    }

    /// <summary>dst (target shape) += Σ over broadcast dimensions of g (out shape).</summary>
    public static void SumTo(ReadOnlySpan<float> g, Shape outShape, Span<float> dst, Shape target)
    {
        if (target == outShape)
        {
            Elementwise.Binary<AddOperator>(dst, g, dst);
            return;
        }
        if (target.Size == 1)
        {
            dst[0] += Elementwise.Sum(g);
            return;
        }
        if (target.Size != 1 && target.IsTrailingOf(outShape))
        {
            int cols = target.Size, rows = outShape.Size / cols;
            for (int r = 0; r < rows; r++) Elementwise.Binary<AddOperator>(dst, g.Slice(r * cols, cols), dst);
            return;
        }
        IndexMap.ScatterAdd(dst, Map(target, outShape), g);
    }

    /// <summary>For each flat index of <paramref name="outShape"/>, the flat index of the broadcast operand.</summary>
    public static int[] Map(Shape s, Shape outShape)
    {
        int rank = outShape.Rank, offset = rank - s.Rank;
        var outDims = outShape.ToArray();
        var inStrides = s.Strides();
        var strides = new int[rank];
        for (int i = 0; i < rank; i++)
            strides[i] = i < offset || s[i - offset] == 1 ? 0 : inStrides[i - offset];
        return IndexMap.Strided(outDims, strides);
    }
}
