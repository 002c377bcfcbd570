// Reader for the safetensors format (8-byte little-endian header length, JSON header, raw little-endian data).
// Every structural claim of the header is checked before any data is touched, so a malformed file gives a message
// that names the file and the problem — never a crash or an allocation sized by untrusted numbers.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Attend.Serialization;

/// <summary>One tensor entry of a safetensors file.</summary>
public sealed record SafeTensorEntry(string Name, string DType, int[] Shape, long Begin, long End);

/// <summary>A parsed safetensors file held in memory.</summary>
public sealed class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;
    private static readonly Dictionary<string, int> ElementSizes = new() { ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["U8"] = 1, ["BOOL"] = 1 };

    private readonly byte[]? _bytes;     // the whole file when parsed from memory
    private readonly string? _path;      // otherwise the file, read one tensor at a time
    private readonly long _dataStart;

    private SafeTensorsFile(string source, byte[]? bytes, string? path, long dataStart, Dictionary<string, SafeTensorEntry> entries, Dictionary<string, string> metadata)
    {
        Source = source;
        _bytes = bytes;
        _path = path;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Where the bytes came from (for messages).</summary>
    public string Source { get; }

    /// <summary>Tensor entries by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorEntry> Entries { get; }

    /// <summary>The string-valued <c>__metadata__</c> object (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Total number of elements over all entries (what a model built from this file can hold at most).</summary>
    public long ElementCount() => Entries.Values.Sum(e => ElementCount(e.Shape));

    /// <summary>
    /// Reads and validates a file's header; tensor data is read from the file when asked for, one tensor at a time,
    /// so loading a model holds little more than the model itself.
    /// </summary>
    public static SafeTensorsFile Load(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            long length = RandomAccess.GetLength(handle);
            var prefix = new byte[8];
            if (length < 8) throw new SafeTensorsException(path, $"file is {length} bytes, shorter than the 8-byte header length");
            if (RandomAccess.Read(handle, prefix, 0) != 8) throw new SafeTensorsException(path, "could not read the 8-byte header length");
            ulong headerLength = CheckHeaderLength(prefix, length, path);
            var header = new byte[headerLength];
            if (RandomAccess.Read(handle, header, 8) != header.Length) throw new SafeTensorsException(path, "could not read the whole header");
            long dataStart = 8 + (long)headerLength;
            var (entries, metadata) = ParseHeader(DecodeHeader(header, path), path, length - dataStart);
            return new SafeTensorsFile(path, null, path, dataStart, entries, metadata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsException(path, $"cannot read the file: {e.Message}");
        }
    }

    /// <summary>Parses and validates bytes; <paramref name="source"/> names them in errors.</summary>
    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8) throw new SafeTensorsException(source, $"file is {bytes.Length} bytes, shorter than the 8-byte header length");
        ulong headerLength = CheckHeaderLength(bytes, bytes.Length, source);
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = ParseHeader(DecodeHeader(bytes.AsSpan(8, (int)headerLength), source), source, bytes.Length - dataStart);
        return new SafeTensorsFile(source, bytes, null, dataStart, entries, metadata);
    }

    private static ulong CheckHeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string source)
    {
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes) throw new SafeTensorsException(source, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if ((long)headerLength > fileLength - 8) throw new SafeTensorsException(source, $"header length {headerLength} runs past the end of the {fileLength}-byte file");
        return headerLength;
    }

    private static string DecodeHeader(ReadOnlySpan<byte> header, string source)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(header);
        }
        catch (DecoderFallbackException)
        {
            throw new SafeTensorsException(source, "header is not valid UTF-8");
        }
    }

    // the raw bytes of one entry: a view of the bytes in memory, or read from the file
    private ReadOnlySpan<byte> RawBytes(SafeTensorEntry e)
    {
        if (_bytes is not null) return _bytes.AsSpan((int)(_dataStart + e.Begin), (int)(e.End - e.Begin));
        var raw = GC.AllocateUninitializedArray<byte>(checked((int)(e.End - e.Begin)));
        ReadFromFile(e, raw);
        return raw;
    }

    // fills destination (exactly the entry's bytes) from the file
    private void ReadFromFile(SafeTensorEntry e, Span<byte> destination)
    {
        try
        {
            using var handle = File.OpenHandle(_path!);
            if (RandomAccess.Read(handle, destination, _dataStart + e.Begin) != destination.Length)
                throw new SafeTensorsException(Source, $"tensor '{e.Name}': the file is shorter than its header says (changed while reading?)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsException(Source, $"cannot read tensor '{e.Name}': {ex.Message}");
        }
    }

    /// <summary>The tensor's values as float32 (F32, F16 or BF16 storage).</summary>
    public float[] ReadFloats(string name)
    {
        var result = new float[ElementCount(Get(name).Shape)];
        ReadFloats(name, result);
        return result;
    }

    /// <summary>Reads the tensor's values as float32 into <paramref name="destination"/> (exactly its element count).</summary>
    public void ReadFloats(string name, Span<float> destination)
    {
        var e = Get(name);
        long n = ElementCount(e.Shape);
        if (destination.Length != n) throw new ArgumentException($"tensor '{name}' has {n} elements, the destination {destination.Length}");
        if (e.DType is not ("F32" or "F16" or "BF16")) throw new SafeTensorsException(Source, $"tensor '{name}' has dtype {e.DType}, expected a float type (F32, F16, BF16)");
        if (e.DType == "F32" && BitConverter.IsLittleEndian)
        {
            // the stored bytes are the floats: read them straight into the destination
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination);
            if (_bytes is not null) RawBytes(e).CopyTo(bytes);
            else ReadFromFile(e, bytes);
            return;
        }
        var span = RawBytes(e);
        switch (e.DType)
        {
            case "F32":
                for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i * 4));
                break;
            case "F16":
                for (int i = 0; i < n; i++) destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span.Slice(i * 2));
                break;
            default:
                for (int i = 0; i < n; i++) destination[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(i * 2)) << 16);
                break;
        }
    }

    /// <summary>The tensor's values as int64 (I64 or I32 storage).</summary>
    public long[] ReadInts(string name)
    {
        var e = Get(name);
        if (e.DType is not ("I64" or "I32")) throw new SafeTensorsException(Source, $"tensor '{name}' has dtype {e.DType}, expected an integer type (I64, I32)");
        var span = RawBytes(e);
        int n = (int)ElementCount(e.Shape);
        var result = new long[n];
        if (e.DType == "I64") for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(i * 8));
        else for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(i * 4));
        return result;
    }

    /// <summary>The tensor's values as booleans (U8 or BOOL storage, nonzero = true).</summary>
    public bool[] ReadBools(string name)
    {
        var e = Get(name);
        if (e.DType is not ("U8" or "BOOL")) throw new SafeTensorsException(Source, $"tensor '{name}' has dtype {e.DType}, expected U8 or BOOL");
        var span = RawBytes(e);
        var result = new bool[span.Length];
        for (int i = 0; i < span.Length; i++) result[i] = span[i] != 0;
        return result;
    }

    /// <summary>The entry named <paramref name="name"/>, or an error listing what the file has.</summary>
    public SafeTensorEntry Get(string name) =>
        Entries.TryGetValue(name, out var e) ? e : throw new SafeTensorsException(Source, $"no tensor named '{name}'");

    private static (Dictionary<string, SafeTensorEntry>, Dictionary<string, string>) ParseHeader(string json, string source, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException(source, $"header is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SafeTensorsException(source, "header must be a JSON object");
            var entries = new Dictionary<string, SafeTensorEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw new SafeTensorsException(source, "__metadata__ must be an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw new SafeTensorsException(source, $"__metadata__ value '{m.Name}' must be a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                entries[prop.Name] = ParseEntry(prop.Name, prop.Value, source, dataLength);
            }
            CheckLayout(entries.Values, source, dataLength);
            return (entries, metadata);
        }
    }

    private static SafeTensorEntry ParseEntry(string name, JsonElement v, string source, long dataLength)
    {
        string Where(string field) => $"tensor '{name}', field '{field}'";
        if (v.ValueKind != JsonValueKind.Object) throw new SafeTensorsException(source, $"tensor '{name}': expected an object with dtype, shape, data_offsets");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw new SafeTensorsException(source, $"{Where("dtype")}: expected a string");
        string dtype = dt.GetString()!;
        if (!ElementSizes.TryGetValue(dtype, out int elementSize)) throw new SafeTensorsException(source, $"{Where("dtype")}: unsupported dtype '{dtype}' (supported: {string.Join(", ", ElementSizes.Keys)})");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw new SafeTensorsException(source, $"{Where("shape")}: expected an array of non-negative integers");
        var shape = new List<int>();
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0) throw new SafeTensorsException(source, $"{Where("shape")}: expected non-negative integers, got {d.GetRawText()}");
            shape.Add(dim);
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new SafeTensorsException(source, $"{Where("data_offsets")}: expected [begin, end]");
        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new SafeTensorsException(source, $"{Where("data_offsets")}: expected 0 ≤ begin ≤ end, got {off.GetRawText()}");
        if (end > dataLength) throw new SafeTensorsException(source, $"{Where("data_offsets")}: end {end} is beyond the {dataLength} bytes of data");
        long count = ElementCount(shape.ToArray());
        if (count < 0 || count * elementSize != end - begin)
            throw new SafeTensorsException(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {(count < 0 ? "too many" : (count * elementSize).ToString())} bytes but data_offsets span {end - begin}");
        return new SafeTensorEntry(name, dtype, shape.ToArray(), begin, end);
    }

    private static void CheckLayout(IEnumerable<SafeTensorEntry> entries, string source, long dataLength)
    {
        SafeTensorEntry? previous = null;
        foreach (var e in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && e.Begin < previous.End)
                throw new SafeTensorsException(source, $"tensors '{previous.Name}' and '{e.Name}' overlap (bytes {e.Begin}..{previous.End})");
            previous = e;
        }
    }

    /// <summary>Product of dims, or −1 on overflow past int.MaxValue elements.</summary>
    private static long ElementCount(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
            if (n > int.MaxValue) return -1;
        }
        return n;
    }
}

/// <summary>A malformed or unreadable safetensors file.</summary>
public sealed class SafeTensorsException(string source, string problem) : Exception($"{source}: {problem}")
{
    /// <summary>The file or stream name.</summary>
    public string File { get; } = source;
}
