// The base of every neural module: parameters, buffers (state that is saved but not trained, such as batch norm's
// running statistics) and child modules registered under PyTorch state-dict names, a train/eval switch that propagates
// to children, and state-dict export/import by dotted name.
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>A neural network component with named parameters and submodules.</summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>True in training mode (dropout active); set with <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers <paramref name="tensor"/> as a trainable parameter called <paramref name="name"/>.</summary>
    protected Tensor Parameter(string name, Tensor tensor)
    {
        tensor.RequiresGrad = true;
        tensor.Name ??= name;
        _parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>
    /// Registers <paramref name="tensor"/> as a buffer called <paramref name="name"/>: saved and loaded with the
    /// weights (as in PyTorch's state dict) but never given to an optimizer.
    /// </summary>
    protected Tensor Buffer(string name, Tensor tensor)
    {
        tensor.Name ??= name;
        _buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a submodule; its parameters appear as <c>name.param</c>.</summary>
    protected T Child<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted state-dict name; a tensor shared by two names is listed under both.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters()
    {
        foreach (var (name, t) in _parameters) yield return (name, t);
        foreach (var (childName, child) in _children)
            foreach (var (name, t) in child.NamedParameters()) yield return (childName + "." + name, t);
    }

    /// <summary>Every buffer with its dotted state-dict name.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers()
    {
        foreach (var (name, t) in _buffers) yield return (name, t);
        foreach (var (childName, child) in _children)
            foreach (var (name, t) in child.NamedBuffers()) yield return (childName + "." + name, t);
    }

    /// <summary>Parameters, then buffers, with their dotted names: everything a state dict or a weights file holds.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedState() => NamedParameters().Concat(NamedBuffers());

    /// <summary>Distinct parameter and buffer tensors, in <see cref="NamedState"/> order.</summary>
    public List<Tensor> StateTensors() => NamedState().Select(p => p.Tensor).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();

    /// <summary>This module and every descendant, depth first (parents before children).</summary>
    public IEnumerable<Module> Modules()
    {
        yield return this;
        foreach (var (_, child) in _children)
            foreach (var m in child.Modules()) yield return m;
    }

    /// <summary>Distinct parameter tensors (a tied weight appears once), in registration order.</summary>
    public List<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();

    /// <summary>Total number of distinct trainable values.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Size);

    /// <summary>
    /// Switches this module and its children to training (or, with false, evaluation) mode. Training drops the packed
    /// weights of <see cref="PackForInference"/>.
    /// </summary>
    public Module Train(bool training = true)
    {
        Training = training;
        if (training) PackWeights(false);
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>
    /// Prepares this module and its children for inference: each layer that multiplies by a weight packs it once in
    /// the layout of the GEMM kernel (<see cref="Kernels.Blas.Gemm.Pack"/>), and forward passes without gradients (GradMode.Off)
    /// read the packs (at batch 1 the weight was repacked, or read by slower dot products, on every call). The packs
    /// take as much memory as those weights again. <see cref="Train"/> and <see cref="LoadStateDict"/> drop them;
    /// code that writes parameter data directly must call this again afterwards.
    /// </summary>
    public Module PackForInference()
    {
        foreach (var m in Modules()) m.PackWeights(true);
        return this;
    }

    /// <summary>Packs (or, with false, drops) this module's own weights for inference; see <see cref="PackForInference"/>.</summary>
    private protected virtual void PackWeights(bool pack)
    {
    }

    /// <summary>Switches to evaluation mode (dropout off).</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Name → tensor for every parameter and buffer (tied weights under each of their names).</summary>
    public Dictionary<string, Tensor> StateDict() => NamedState().ToDictionary(p => p.Name, p => p.Tensor);

    /// <summary>
    /// Copies values into the parameters and buffers by name. Every one must be given (unless <paramref name="strict"/> is
    /// false) with the same shape; unknown names are errors when strict.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        foreach (var m in Modules()) m.PackWeights(false);
        var own = StateDict();
        if (strict)
        {
            var unknown = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"unexpected parameter(s) in state dict: {string.Join(", ", unknown)}");
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source))
            {
                if (strict) throw new ArgumentException($"state dict is missing parameter '{name}' {target.Shape}");
                continue;
            }
            if (source.Shape != target.Shape) throw new ArgumentException($"parameter '{name}': shape {source.Shape} in the state dict, {target.Shape} in the model");
            source.Data.AsSpan(0, target.Size).CopyTo(target.Data);
        }
    }
}
