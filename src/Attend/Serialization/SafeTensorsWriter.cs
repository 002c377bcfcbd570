// Writes safetensors files (F32, I64, U8): an 8-byte little-endian header length, a JSON header padded with spaces to
// a multiple of 8, then the tensors' bytes back to back in name order. Written to a temporary file and renamed, so a
// crash never leaves a half-written file under the final name.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Attend.Serialization;

/// <summary>Collects tensors and writes one safetensors file.</summary>
public sealed class SafeTensorsWriter
{
    private readonly SortedDictionary<string, (string DType, int[] Shape, byte[] Bytes)> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = [];

    /// <summary>Adds a float32 tensor.</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<float> data, int[] shape) =>
        Put(name, "F32", shape, data.Length, MemoryMarshal.AsBytes(data).ToArray());

    /// <summary>Adds an int64 tensor.</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> data, int[] shape) =>
        Put(name, "I64", shape, data.Length, MemoryMarshal.AsBytes(data).ToArray());

    /// <summary>Adds a boolean tensor stored as U8 (1 = true).</summary>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<bool> data, int[] shape)
    {
        var bytes = new byte[data.Length];
        for (int i = 0; i < data.Length; i++) bytes[i] = data[i] ? (byte)1 : (byte)0;
        return Put(name, "U8", shape, data.Length, bytes);
    }

    /// <summary>Adds a string to the <c>__metadata__</c> object.</summary>
    public SafeTensorsWriter Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    private SafeTensorsWriter Put(string name, string dtype, int[] shape, int count, byte[] bytes)
    {
        if (string.IsNullOrEmpty(name) || name == "__metadata__") throw new ArgumentException($"invalid tensor name '{name}'");
        long elements = shape.Aggregate(1L, (a, d) => d < 0 ? throw new ArgumentException($"{name}: negative dimension") : a * d);
        if (elements != count) throw new ArgumentException($"{name}: {count} values do not fill shape ({string.Join(", ", shape)})");
        if (!_tensors.TryAdd(name, (dtype, (int[])shape.Clone(), bytes))) throw new ArgumentException($"tensor '{name}' added twice");
        return this;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        var header = new JsonObject();
        if (_metadata.Count > 0)
        {
            var meta = new JsonObject();
            foreach (var (k, v) in _metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, t) in _tensors)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = t.DType,
                ["shape"] = new JsonArray([.. t.Shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + t.Bytes.Length),
            };
            offset += t.Bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        long pos = 8 + padded;
        foreach (var (_, t) in _tensors)
        {
            t.Bytes.CopyTo(result, pos);
            pos += t.Bytes.Length;
        }
        return result;
    }

    /// <summary>Writes the file atomically (temporary file in the same folder, then rename).</summary>
    public void Save(string path) => Text.AtomicFile.WriteAllBytes(path, ToBytes());
}
