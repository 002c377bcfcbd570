// The parts of an ONNX model (onnx.proto: ModelProto → GraphProto) a converter reads: the opset, the graph's nodes
// with their inputs, outputs and scalar attributes, its inputs and outputs, and its initializers as float32 or int64
// tensors (raw_data or the typed fields). Field numbers are onnx.proto's; everything else is skipped.
namespace Attend.Serialization.Onnx;

/// <summary>One graph node: operator, inputs, outputs, and its float/int attributes.</summary>
public sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, IReadOnlyDictionary<string, double> Attributes);

/// <summary>An initializer or constant: shape and values (floats, or int64 for integer tensors).</summary>
public sealed record OnnxTensor(string Name, long[] Shape, float[]? Floats, long[]? Ints)
{
    public long Size => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>An ONNX model's graph.</summary>
public sealed class OnnxModel
{
    /// <summary>The default-domain opset version.</summary>
    public long Opset { get; private set; }
    public string Producer { get; private set; } = "";
    public List<OnnxNode> Nodes { get; } = [];
    public Dictionary<string, OnnxTensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Constant nodes' values by output name.</summary>
    public Dictionary<string, OnnxTensor> Constants { get; } = new(StringComparer.Ordinal);
    public List<string> Inputs { get; } = [];
    public List<string> Outputs { get; } = [];

    /// <summary>Parses an ONNX file held in memory; malformed bytes raise <see cref="OnnxFormatException"/>.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes)
    {
        var model = new OnnxModel();
        var r = new ProtoReader(bytes);
        bool graph = false;
        while (r.More)
        {
            var (field, wire) = r.Tag();
            if (field == 7 && wire == 2)
            {
                model.ReadGraph(r.Bytes());
                graph = true;
            }
            else if (field == 8 && wire == 2) model.ReadOpset(r.Bytes());
            else if (field == 2 && wire == 2) model.Producer = r.String();
            else r.Skip(wire);
        }
        if (!graph) throw new OnnxFormatException("no graph: this is not an ONNX model");
        return model;
    }

    private void ReadOpset(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        string domain = "";
        long version = 0;
        while (r.More)
        {
            var (field, wire) = r.Tag();
            if (field == 1 && wire == 2) domain = r.String();
            else if (field == 2 && wire == 0) version = r.Int64();
            else r.Skip(wire);
        }
        if (domain is "" or "ai.onnx") Opset = version;
    }

    private void ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        while (r.More)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1 when wire == 2: ReadNode(r.Bytes()); break;
                case 5 when wire == 2:
                    var t = ReadTensor(r.Bytes());
                    Initializers[t.Name] = t;
                    break;
                case 11 when wire == 2: Inputs.Add(ValueName(r.Bytes())); break;
                case 12 when wire == 2: Outputs.Add(ValueName(r.Bytes())); break;
                default: r.Skip(wire); break;
            }
        }
    }

    private static string ValueName(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        while (r.More)
        {
            var (field, wire) = r.Tag();
            if (field == 1 && wire == 2) return r.String();
            r.Skip(wire);
        }
        return "";
    }

    private void ReadNode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        List<string> inputs = [], outputs = [];
        string op = "", name = "";
        var attributes = new Dictionary<string, double>(StringComparer.Ordinal);
        OnnxTensor? value = null;
        while (r.More)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1 when wire == 2: inputs.Add(r.String()); break;
                case 2 when wire == 2: outputs.Add(r.String()); break;
                case 3 when wire == 2: name = r.String(); break;
                case 4 when wire == 2: op = r.String(); break;
                case 5 when wire == 2: value = ReadAttribute(r.Bytes(), attributes) ?? value; break;
                default: r.Skip(wire); break;
            }
        }
        if (op.Length == 0) throw new OnnxFormatException($"node '{name}' has no op_type");
        if (op == "Constant" && value is not null && outputs.Count == 1) Constants[outputs[0]] = value with { Name = outputs[0] };
        Nodes.Add(new OnnxNode(op, name, [.. inputs], [.. outputs], attributes));
    }

    // AttributeProto: name 1, f 2, i 3, t 5; a tensor-valued attribute (a Constant's "value") is returned
    private static OnnxTensor? ReadAttribute(ReadOnlySpan<byte> bytes, Dictionary<string, double> attributes)
    {
        var r = new ProtoReader(bytes);
        string name = "";
        double? number = null;
        OnnxTensor? tensor = null;
        while (r.More)
        {
            var (field, wire) = r.Tag();
            if (field == 1 && wire == 2) name = r.String();
            else if (field == 2 && wire == 5) number = r.Float();
            else if (field == 3 && wire == 0) number = r.Int64();
            else if (field == 5 && wire == 2) tensor = ReadTensor(r.Bytes());
            else r.Skip(wire);
        }
        if (number is double n) attributes[name] = n;
        return tensor;
    }

    // TensorProto: dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, data_location 14
    private static OnnxTensor ReadTensor(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        var dims = new List<long>();
        long type = 0;
        string name = "";
        ReadOnlySpan<byte> raw = default;
        bool hasRaw = false, external = false;
        var floats = new List<float>();
        var ints = new List<long>();
        while (r.More)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: r.Int64s(wire, dims); break;
                case 2 when wire == 0: type = r.Int64(); break;
                case 4 when wire == 2:
                    var packed = r.Bytes();
                    for (int i = 0; i + 4 <= packed.Length; i += 4) floats.Add(BitConverter.ToSingle(packed.Slice(i, 4)));
                    break;
                case 4 when wire == 5: floats.Add(r.Float()); break;
                case 5: r.Int64s(wire, ints); break;
                case 7: r.Int64s(wire, ints); break;
                case 8 when wire == 2: name = r.String(); break;
                case 9 when wire == 2:
                    raw = r.Bytes();
                    hasRaw = true;
                    break;
                case 14 when wire == 0: external = r.Int64() == 1; break;
                default: r.Skip(wire); break;
            }
        }
        if (external) throw new OnnxFormatException($"tensor '{name}' keeps its data in an external file, which is not supported: save the model with its weights inside");
        if (dims.Any(d => d < 0)) throw new OnnxFormatException($"tensor '{name}' has a negative dimension");
        long size = dims.Aggregate(1L, (a, d) => d == 0 ? 0 : a > long.MaxValue / d ? throw new OnnxFormatException($"tensor '{name}' is too large") : a * d);
        var shape = dims.ToArray();
        switch (type)
        {
            case 1: // FLOAT
                if (hasRaw)
                {
                    if (raw.Length != size * 4) throw new OnnxFormatException($"tensor '{name}': {raw.Length} bytes of data for {size} floats");
                    var values = new float[size];
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
                    return new OnnxTensor(name, shape, values, null);
                }
                if (floats.Count != size) throw new OnnxFormatException($"tensor '{name}': {floats.Count} floats for shape ({string.Join(", ", shape)})");
                return new OnnxTensor(name, shape, [.. floats], null);
            case 7 or 6: // INT64, INT32
                if (hasRaw)
                {
                    int width = type == 7 ? 8 : 4;
                    if (raw.Length != size * width) throw new OnnxFormatException($"tensor '{name}': {raw.Length} bytes of data for {size} integers");
                    var values = new long[size];
                    for (int i = 0; i < size; i++) values[i] = width == 8 ? BitConverter.ToInt64(raw.Slice(i * 8, 8)) : BitConverter.ToInt32(raw.Slice(i * 4, 4));
                    return new OnnxTensor(name, shape, null, values);
                }
                if (ints.Count != size) throw new OnnxFormatException($"tensor '{name}': {ints.Count} integers for shape ({string.Join(", ", shape)})");
                return new OnnxTensor(name, shape, null, [.. ints]);
            default:
                // other types (bool, float16, …) are kept as shapes only; a converter that needs their values says so
                return new OnnxTensor(name, shape, null, null);
        }
    }
}
