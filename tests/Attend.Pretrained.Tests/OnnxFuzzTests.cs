// The ONNX reader and the BERT import on damaged files: the real MiniLM file cut short at random points and with random
// bytes overwritten. Every outcome is either a model or an OnnxFormatException naming the problem, never another
// exception, a hang or an allocation sized by a corrupted number.
using Attend.Models;
using Attend.Serialization.Onnx;

namespace Attend.Pretrained.Tests;

[Collection("minilm")]
public sealed class OnnxFuzzTests(MiniLm minilm)
{
    [Fact]
    public void DamagedFilesFailWithAFormatErrorOrStillRead()
    {
        var original = File.ReadAllBytes(minilm.OnnxPath);
        var rng = new Rng(11);
        int refused = 0, read = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var bytes = (byte[])original.Clone();
            int length = bytes.Length;
            if (trial % 3 == 0) length = rng.NextInt(bytes.Length);                   // truncated
            else
                for (int i = 0, n = 1 + rng.NextInt(8); i < n; i++)                       // overwritten, mostly in the graph's structure
                {
                    int at = trial % 3 == 1 ? rng.NextInt(Math.Min(bytes.Length, 1 << 16)) : rng.NextInt(bytes.Length);
                    bytes[at] = (byte)rng.NextInt(256);
                }
            try
            {
                BertOnnxImport.FromGraph(OnnxModel.Parse(bytes.AsSpan(0, length)));
                read++;
            }
            catch (OnnxFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                refused++;
            }
        }
        Assert.True(refused > 0 && refused + read == 60, $"{refused} refused, {read} read");
    }
}
