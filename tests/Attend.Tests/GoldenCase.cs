// Access to one PyTorch golden fixture (tests/golden, copied from ../shared/golden): tensors by name, the case's
// config and its forward/grad tolerances (|actual − expected| ≤ atol + rtol·|expected|, −inf matched exactly).
using System.Text.Json;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Tests;

internal sealed class GoldenCase
{
    private readonly SafeTensorsFile _file;

    public GoldenCase(string name)
    {
        Name = name;
        _file = SafeTensorsFile.Load(Path.Combine(Directory, name + ".safetensors"));
        Config = JsonDocument.Parse(_file.Metadata["config"]).RootElement;
        var tol = Config.GetProperty("tolerance");
        Forward = (tol.GetProperty("forward").GetProperty("rtol").GetDouble(), tol.GetProperty("forward").GetProperty("atol").GetDouble());
        if (tol.TryGetProperty("grad", out var g) && g.ValueKind == JsonValueKind.Object)
            Grad = (g.GetProperty("rtol").GetDouble(), g.GetProperty("atol").GetDouble());
    }

    public string Name { get; }
    public JsonElement Config { get; }
    public (double Rtol, double Atol) Forward { get; }
    public (double Rtol, double Atol) Grad { get; }

    /// <summary>The repository's tests/golden folder, found from the test binary upward.</summary>
    public static string Directory { get; } = FindDirectory();

    public Tensor Tensor(string name, bool requiresGrad = false) =>
        new(_file.ReadFloats(name), new Shape(_file.Get(name).Shape), requiresGrad) { Name = name };

    public int[] Shape(string name) => _file.Get(name).Shape.Select(d => checked((int)d)).ToArray();

    public int[] Ints(string name) => _file.ReadInts(name).Select(v => checked((int)v)).ToArray();

    public Mask Mask(string name) => new(_file.ReadBools(name), new Shape(_file.Get(name).Shape));

    public bool Has(string name) => _file.Entries.ContainsKey(name);

    /// <summary>The case's parameters by state-dict name (the "param." prefix removed).</summary>
    public Dictionary<string, Tensor> Params() => _file.Entries.Keys.Where(k => k.StartsWith("param.", StringComparison.Ordinal))
        .ToDictionary(k => k["param.".Length..], k => Tensor(k));

    /// <summary>loss = Σ over config.loss_terms of sum(output ⊙ upstream), outputs looked up by their full names.</summary>
    public Tensor Loss(IReadOnlyDictionary<string, Tensor> outputs)
    {
        Tensor? loss = null;
        foreach (var term in Config.GetProperty("loss_terms").EnumerateArray())
        {
            var output = outputs[term.GetProperty("output").GetString()!];
            var t = global::Attend.Autograd.Ops.SumAll(global::Attend.Autograd.Ops.Mul(output, Tensor(term.GetProperty("upstream").GetString()!)));
            loss = loss is null ? t : global::Attend.Autograd.Ops.Add(loss, t);
        }
        return loss ?? throw new InvalidOperationException($"{Name}: no loss_terms");
    }

    /// <summary>Asserts the gradient of every parameter of <paramref name="module"/> against grad.param.*.</summary>
    public void AssertParamGrads(global::Attend.Nn.Module module)
    {
        foreach (var (name, t) in module.NamedParameters())
        {
            Assert.True(Has("grad.param." + name), $"{Name}: no reference gradient for parameter {name}");
            AssertClose("grad.param." + name, t.Grad ?? new float[t.Size]);
        }
    }

    /// <summary>Asserts an output (forward tolerance) or gradient (grad tolerance) equals the stored reference.</summary>
    public void AssertClose(string name, float[] actual)
    {
        var expected = _file.ReadFloats(name);
        var (rtol, atol) = name.StartsWith("grad.", StringComparison.Ordinal) ? Grad : Forward;
        Assert.True(expected.Length == actual.Length, $"{Name}/{name}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            bool ok = float.IsInfinity(e) ? e.Equals(a) : Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
            Assert.True(ok, $"{Name}/{name}[{i}]: expected {e}, got {a} (rtol {rtol}, atol {atol})");
        }
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/golden not found above " + AppContext.BaseDirectory);
    }
}
