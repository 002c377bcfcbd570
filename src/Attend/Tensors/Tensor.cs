// The tensor: float32 data (contiguous, row-major) + shape, and the autograd links that Ops record (micrograd style:
// each result keeps its parents and a closure that pushes its gradient into theirs).
namespace Attend.Tensors;

/// <summary>A float32 tensor that can take part in automatic differentiation.</summary>
public sealed partial class Tensor
{
    /// <summary>Creates a tensor over <paramref name="data"/> (not copied); its length must equal the shape's size.</summary>
    public Tensor(float[] data, Shape shape, bool requiresGrad = false)
    {
        if (data.Length != shape.Size) throw new ArgumentException($"data has {data.Length} elements but shape {shape} needs {shape.Size}");
        Data = data;
        Shape = shape;
        RequiresGrad = requiresGrad;
    }

    /// <summary>The elements, row-major.</summary>
    public float[] Data { get; }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>Whether gradients flow to this tensor (leaves: set by the user; results: set by Ops).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Accumulated gradient (same shape), or null before any backward pass reached it.</summary>
    public float[]? Grad { get; set; }

    /// <summary>Optional name, used in error messages and parameter listings.</summary>
    public string? Name { get; set; }

    internal Tensor[] Parents { get; private set; } = [];
    internal Action? BackwardStep { get; private set; }

    /// <summary>True for tensors created by an op that recorded a backward step.</summary>
    public bool IsLeaf => BackwardStep is null;

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs a one-element tensor, this one has shape {Shape}");
        return Data[0];
    }

    /// <summary>
    /// The gradient buffer, allocated (zeroed) on first use. Op results' gradients come from the recycling pool inside
    /// a <see cref="TensorMemory.Recycle"/> scope; leaves' (parameters') gradients never do.
    /// </summary>
    public float[] GradBuffer() => Grad ??= IsLeaf ? ZeroedSpare() : TensorMemory.Zeroed(Size);

    /// <summary>
    /// The gradient buffer for a backward step that adds a contribution to every element. When no gradient exists yet
    /// it is allocated without zeroing and <paramref name="accumulate"/> is false: the step must then overwrite every
    /// element instead of adding (this saves a pass over memory as large as the activation).
    /// </summary>
    internal float[] GradForOverwrite(out bool accumulate)
    {
        accumulate = Grad is not null;
        return Grad ??= IsLeaf ? TakeSpare() ?? GC.AllocateUninitializedArray<float>(Size) : TensorMemory.Uninitialized(Size);
    }

    /// <summary>
    /// Forgets the gradient (<see cref="Grad"/> becomes null). A leaf keeps the array as its next gradient's buffer: a
    /// parameter's gradient is as large as the parameter, and one fresh array per update lived long enough to reach the
    /// GC's oldest generation, so fine-tuning MiniLM carried hundreds of megabytes of dead gradients between full
    /// collections. Do not hold on to an old <see cref="Grad"/> array across ZeroGrad: copy it.
    /// </summary>
    public void ZeroGrad()
    {
        if (IsLeaf && Grad is { } spent && spent.Length == Size) _spareGrad = spent;
        Grad = null;
    }

    private float[]? _spareGrad;

    private float[]? TakeSpare()
    {
        var spare = _spareGrad;
        _spareGrad = null;
        return spare;
    }

    private float[] ZeroedSpare()
    {
        if (TakeSpare() is not { } spare) return new float[Size];
        Array.Clear(spare);
        return spare;
    }

    /// <summary>A tensor sharing this one's data with no autograd history.</summary>
    public Tensor Detach() => new(Data, Shape);

    /// <summary>Records how this result's gradient reaches its parents; called by Ops only.</summary>
    internal void SetHistory(Tensor[] parents, Action backward)
    {
        Parents = parents;
        BackwardStep = backward;
        RequiresGrad = true;
    }

    public override string ToString() => $"Tensor{Shape}{(Name is null ? "" : " " + Name)}";
}
