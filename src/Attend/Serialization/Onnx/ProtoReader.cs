// A protobuf wire-format reader, just enough for ONNX files: varints, fixed 32/64-bit values and length-delimited
// fields, with every length checked against the bytes that remain, so a truncated or hostile file is a format error,
// never an out-of-range read or an allocation sized by a number in the file.
namespace Attend.Serialization.Onnx;

/// <summary>Reads the fields of one protobuf message from a byte range.</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _at;

    public ProtoReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _at = 0;
    }

    /// <summary>Whether bytes remain.</summary>
    public readonly bool More => _at < _bytes.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int Wire) Tag()
    {
        ulong tag = Varint();
        int wire = (int)(tag & 7);
        ulong field = tag >> 3;
        if (field == 0 || field > int.MaxValue || wire is 3 or 4 or 6 or 7) throw new OnnxFormatException($"bad field tag {tag} at byte {_at}");
        return ((int)field, wire);
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _bytes.Length) throw new OnnxFormatException("the file ends inside a number");
            byte b = _bytes[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new OnnxFormatException($"a number longer than 10 bytes at byte {_at}");
    }

    public long Int64() => (long)Varint();

    public uint Fixed32() => BitConverter.ToUInt32(Take(4));

    public ulong Fixed64() => BitConverter.ToUInt64(Take(8));

    public float Float() => BitConverter.Int32BitsToSingle((int)Fixed32());

    /// <summary>The bytes of a length-delimited field.</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        ulong length = Varint();
        if (length > (ulong)(_bytes.Length - _at)) throw new OnnxFormatException($"a field of {length} bytes at byte {_at}, but only {_bytes.Length - _at} remain");
        return Take((int)length);
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wire)
    {
        switch (wire)
        {
            case 0: Varint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: throw new OnnxFormatException($"wire type {wire} cannot be skipped");
        }
    }

    /// <summary>Packed (wire 2) or single (wire 0) int64 values appended to <paramref name="into"/>.</summary>
    public void Int64s(int wire, List<long> into)
    {
        if (wire == 0)
        {
            into.Add(Int64());
            return;
        }
        var inner = new ProtoReader(Bytes());
        while (inner.More) into.Add(inner.Int64());
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _bytes.Length - _at) throw new OnnxFormatException($"the file ends inside a field at byte {_at}");
        var span = _bytes.Slice(_at, n);
        _at += n;
        return span;
    }
}

/// <summary>A malformed ONNX file.</summary>
public sealed class OnnxFormatException(string message) : Exception(message);
