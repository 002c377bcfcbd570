// The safetensors reader on valid files, hand-made malformed headers, and random corruption of a real fixture:
// malformed input must give a SafeTensorsException naming the problem — never another exception, hang or huge allocation.
using System.Buffers.Binary;
using System.Text;
using Attend.Serialization;

namespace Attend.Tests.Serialization;

public class SafeTensorsFileTests
{
    private static byte[] Build(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    [Fact]
    public void ReadsFloatsIntsAndMetadata()
    {
        var bytes = Build("""{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}""", 16);
        int data = bytes.Length - 16;
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(data), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(data + 4), -2f);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(data + 8), 7);
        var f = SafeTensorsFile.Parse(bytes, "mem");
        Assert.Equal([1.5f, -2f], f.ReadFloats("a"));
        Assert.Equal([7L], f.ReadInts("b"));
        Assert.Equal("v", f.Metadata["k"]);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}""", 8, "beyond")]
    [InlineData("""{"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}""", 8, "unsupported dtype")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "non-negative")]
    [InlineData("""{"a":{"dtype":"F32","shape":[65536,65536],"data_offsets":[0,8]}}""", 8, "too many")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "begin")]
    [InlineData("""{"a": [1, 2""", 0, "not valid JSON")]
    [InlineData("""[1, 2]""", 0, "JSON object")]
    public void RejectsMalformedHeadersWithAClearMessage(string header, int dataBytes, string expected)
    {
        var ex = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Parse(Build(header, dataBytes), "bad.safetensors"));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("bad.safetensors: ", ex.Message);
    }

    [Fact]
    public void RejectsAHeaderLengthBeyondTheFile()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        var ex = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Parse(bytes, "x"));
        Assert.Contains("header length", ex.Message);
        Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Parse(new byte[5], "x"));
    }

    [Fact]
    public void RandomCorruptionOfARealFileNeverEscapesAsAnotherException()
    {
        var original = File.ReadAllBytes(Path.Combine(GoldenCase.Directory, "layernorm.safetensors"));
        var rng = new Random(2024);
        for (int trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = rng.Next(trial % 3 == 0 ? 8 : Math.Min(headerEnd, bytes.Length));
                bytes[at] = (byte)rng.Next(256);
            }
            if (trial % 7 == 0) Array.Resize(ref bytes, rng.Next(bytes.Length));
            try
            {
                var f = SafeTensorsFile.Parse(bytes, "fuzz");
                foreach (var name in f.Entries.Keys)
                {
                    try { f.ReadFloats(name); }
                    catch (SafeTensorsException) { }
                }
            }
            catch (SafeTensorsException)
            {
            }
        }
    }
}
