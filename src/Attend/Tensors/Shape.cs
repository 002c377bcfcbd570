// The dimensions of a contiguous row-major tensor, with helpers for axes and broadcasting (NumPy/PyTorch rules).
namespace Attend.Tensors;

/// <summary>Immutable list of dimension sizes.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape; every dimension must be ≥ 0.</summary>
    public Shape(params int[] dims)
    {
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentException($"dimensions must be non-negative, got ({string.Join(", ", dims)})");
        }
        _dims = (int[])dims.Clone();
        long size = 1;
        foreach (int d in dims) size *= d;
        if (size > int.MaxValue) throw new ArgumentException($"shape ({string.Join(", ", dims)}) holds {size} elements, more than a tensor can");
        Size = (int)size;
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Number of elements.</summary>
    public int Size { get; }

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int this[int axis] => _dims[Axis(axis)];

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>The last dimension (1 for a scalar).</summary>
    public int Last => Rank == 0 ? 1 : _dims[^1];

    /// <summary>
    /// True when this shape, with its leading 1s dropped, equals the trailing dimensions of <paramref name="shape"/>:
    /// its values then repeat with period <see cref="Size"/> over <paramref name="shape"/>'s flat layout. A shape of
    /// only 1s (a scalar) is trailing of any shape.
    /// </summary>
    public bool IsTrailingOf(Shape shape)
    {
        int lead = 0;
        while (lead < Rank && _dims[lead] == 1) lead++;
        int rank = Rank - lead;
        if (rank > shape.Rank) return false;
        for (int i = 0; i < rank; i++)
        {
            if (_dims[lead + i] != shape._dims[shape.Rank - rank + i]) return false;
        }
        return true;
    }

    /// <summary>Normalises a possibly negative axis and checks it.</summary>
    public int Axis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentException($"axis {axis} is out of range for shape {this}");
        return a;
    }

    /// <summary>Product of the dimensions before <paramref name="axis"/>.</summary>
    public int Outer(int axis)
    {
        int n = 1;
        for (int i = 0; i < axis; i++) n *= _dims[i];
        return n;
    }

    /// <summary>Product of the dimensions after <paramref name="axis"/>.</summary>
    public int Inner(int axis)
    {
        int n = 1;
        for (int i = axis + 1; i < Rank; i++) n *= _dims[i];
        return n;
    }

    /// <summary>Row-major strides (elements).</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= _dims[i];
        }
        return s;
    }

    /// <summary>The shape two operands broadcast to, or an error naming both.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a._dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b._dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1) throw new ArgumentException($"shapes {a} and {b} cannot be broadcast together");
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in _dims) h.Add(d);
        return h.ToHashCode();
    }
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);
    public override string ToString() => "(" + string.Join(", ", _dims) + ")";
}
