// Shape manipulation: reshape (a view over the same data), permute/transpose, concat, slice, split and index_select
// (copies).
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>Same data, new dims (one may be −1, inferred). Shares the data array with <paramref name="x"/>.</summary>
    public static Tensor Reshape(Tensor x, params int[] dims)
    {
        dims = (int[])dims.Clone();
        int infer = Array.IndexOf(dims, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < dims.Length; i++) if (i != infer) known *= dims[i];
            Require(known > 0 && x.Size % known == 0, $"reshape {x.Shape} to ({string.Join(", ", dims)}): cannot infer −1");
            dims[infer] = x.Size / known;
        }
        var shape = new Shape(dims);
        Require(shape.Size == x.Size, $"reshape {x.Shape} to {shape}: element counts differ");
        var y = new Tensor(x.Data, shape);
        return Record(y, [x], () =>
        {
            // a view's gradient is its input's, element for element: the first one is handed on, not copied (a leaf's
            // gradient must outlive the recycling scope, so it gets its own buffer)
            if (x.Grad is null && !x.IsLeaf) (x.Grad, y.Grad) = (y.Grad, null);
            else Accumulate(x.GradBuffer(), y.Grad);
        });
    }

    /// <summary>Reorders axes: result axis i is input axis perm[i]. Copies.</summary>
    public static Tensor Permute(Tensor x, params int[] perm)
    {
        Require(perm.Length == x.Rank && perm.Order().SequenceEqual(Enumerable.Range(0, x.Rank)), $"permute {x.Shape}: ({string.Join(", ", perm)}) is not a permutation of its axes");
        var inDims = x.Shape.ToArray();
        var outDims = perm.Select(p => inDims[p]).ToArray();
        var y = Uninitialized(new Shape(outDims));
        var inStrides = x.Shape.Strides();
        var srcStrides = perm.Select(p => inStrides[p]).ToArray();
        int inner = inDims.Length == 0 ? 1 : inDims[^1];
        if (perm.Length > 0 && perm[^1] == perm.Length - 1 && inner >= 8)
        {
            // the last axis stays last: move whole rows (e.g. (B, T, H, D) ↔ (B, H, T, D) for attention heads)
            var rows = IndexMap.Strided(outDims[..^1], srcStrides[..^1]); // source offset of each output row
            for (int r = 0; r < rows.Length; r++) x.Data.AsSpan(rows[r], inner).CopyTo(y.Data.AsSpan(r * inner, inner));
            return Record(y, [x], () =>
            {
                var dx = x.GradBuffer();
                var dy = y.Grad!;
                for (int r = 0; r < rows.Length; r++) Accumulate(dx.AsSpan(rows[r], inner), dy.AsSpan(r * inner, inner));
            });
        }
        var map = IndexMap.Strided(outDims, srcStrides);
        for (int i = 0; i < map.Length; i++) y.Data[i] = x.Data[map[i]];
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            IndexMap.ScatterAdd(dx, map, y.Grad);
        });
    }

    /// <summary>Swaps two axes. Copies.</summary>
    public static Tensor Transpose(Tensor x, int axis0, int axis1)
    {
        int a = x.Shape.Axis(axis0), b = x.Shape.Axis(axis1);
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; other dims must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        Require(xs.Count > 0, "concat needs at least one tensor");
        int ax = xs[0].Shape.Axis(axis);
        var dims = xs[0].Shape.ToArray();
        int total = 0;
        foreach (var t in xs)
        {
            Require(t.Rank == dims.Length && Enumerable.Range(0, dims.Length).All(i => i == ax || t.Shape[i] == dims[i]),
                $"concat along axis {axis}: shape {t.Shape} does not match {xs[0].Shape}");
            total += t.Shape[ax];
        }
        dims[ax] = total;
        var y = Uninitialized(new Shape(dims));
        int outer = y.Shape.Outer(ax), inner = y.Shape.Inner(ax);
        int offset = 0;
        var offsets = new int[xs.Count];
        for (int j = 0; j < xs.Count; j++)
        {
            offsets[j] = offset;
            int len = xs[j].Shape[ax] * inner;
            for (int o = 0; o < outer; o++)
                xs[j].Data.AsSpan(o * len, len).CopyTo(y.Data.AsSpan(o * total * inner + offset));
            offset += len;
        }
        return Record(y, xs.ToArray(), () =>
        {
            for (int j = 0; j < xs.Count; j++)
            {
                if (!xs[j].RequiresGrad) continue;
                int len = xs[j].Shape[ax] * inner;
                var dx = xs[j].GradBuffer();
                for (int o = 0; o < outer; o++)
                {
                    Accumulate(dx.AsSpan(o * len, len), y.Grad.AsSpan(o * total * inner + offsets[j], len));
                }
            }
        });
    }

    /// <summary>Elements [start, start + length) along <paramref name="axis"/>. Copies.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        int ax = x.Shape.Axis(axis), extent = x.Shape[ax];
        Require(start >= 0 && length >= 0 && start + length <= extent, $"slice [{start}, {start + length}) is outside axis {axis} of {x.Shape}");
        var dims = x.Shape.ToArray();
        dims[ax] = length;
        var y = Uninitialized(new Shape(dims));
        int outer = x.Shape.Outer(ax), inner = x.Shape.Inner(ax);
        for (int o = 0; o < outer; o++)
            x.Data.AsSpan((o * extent + start) * inner, length * inner).CopyTo(y.Data.AsSpan(o * length * inner));
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                Accumulate(dx.AsSpan((o * extent + start) * inner, length * inner), y.Grad.AsSpan(o * length * inner, length * inner));
            }
        });
    }

    /// <summary>
    /// torch.index_select: y takes positions <paramref name="indices"/> of <paramref name="axis"/> (repeats allowed), so
    /// x: (…, n, …) → (…, indices.Length, …). The backward pass adds each output's gradient into its source position.
    /// Example: along a time axis of 5, indices [0, 1, 2, 2, 3, 4, 4, 4] unfolds two overlapping patches of 4 with a
    /// replicated end (PatchTST's padding and unfolding in one gather).
    /// </summary>
    public static Tensor IndexSelect(Tensor x, int axis, int[] indices)
    {
        int ax = x.Shape.Axis(axis), extent = x.Shape[ax];
        foreach (int i in indices) Require(i >= 0 && i < extent, $"index_select: index {i} is outside axis {axis} of {x.Shape}");
        var dims = x.Shape.ToArray();
        dims[ax] = indices.Length;
        var y = Uninitialized(new Shape(dims));
        int outer = x.Shape.Outer(ax), inner = x.Shape.Inner(ax), k = indices.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                x.Data.AsSpan((o * extent + indices[j]) * inner, inner).CopyTo(y.Data.AsSpan((o * k + j) * inner, inner));
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            var dy = y.Grad!;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++) Accumulate(dx.AsSpan((o * extent + indices[j]) * inner, inner), dy.AsSpan((o * k + j) * inner, inner));
        });
    }

    /// <summary>Cuts <paramref name="x"/> along <paramref name="axis"/> into pieces of the given sizes (torch.split).</summary>
    public static Tensor[] Split(Tensor x, int axis, params int[] sizes)
    {
        Require(sizes.Sum() == x.Shape[axis], $"split sizes ({string.Join(", ", sizes)}) do not add up to axis {axis} of {x.Shape}");
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Slice(x, axis, start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }
}
