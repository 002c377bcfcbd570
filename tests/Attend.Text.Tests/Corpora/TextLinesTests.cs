// Strict line reading: invalid UTF-8 names file and line, gzip is read transparently, CRLF and a BOM are handled.
using System.IO.Compression;
using System.Text;
using Attend.Text.Corpora;

namespace Attend.Text.Tests.Corpora;

public class TextLinesTests
{
    [Fact]
    public void InvalidUtf8NamesTheFileAndLine()
    {
        string path = Path.Combine(TestFiles.TempDir(), "bad.txt");
        File.WriteAllBytes(path, [.. "ok\nfine\n"u8, 0x61, 0xC3, 0x28, (byte)'\n']);
        var ex = Assert.Throws<DataFormatException>(() => TextLines.Read(path).ToList());
        Assert.Equal(3, ex.Line);
        Assert.StartsWith(path + ":3: invalid UTF-8", ex.Message);
    }

    [Fact]
    public void ReadsGzipCrlfAndBom()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.txt.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Größe\r\n\r\nlast")]);
        Assert.Equal(["Größe", "", "last"], TextLines.Read(path).ToList());
    }

    [Fact]
    public void CorruptGzipIsAFormatError()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Throws<DataFormatException>(() => TextLines.Read(path).ToList());
    }

    [Fact]
    public void RandomBytesNeverCrash()
    {
        var rng = new Random(1);
        for (int i = 0; i < 300; i++)
        {
            var bytes = new byte[rng.Next(0, 200)];
            rng.NextBytes(bytes);
            try { TextLines.Read(new MemoryStream(bytes), "r").ToList(); }
            catch (DataFormatException) { }
        }
    }

    [SharedDataFact("multi30k/train.en.gz", "multi30k/train.de.gz")]
    public void MultiThirtyKTrainingFilesAreAligned()
    {
        Assert.Equal(29000, TextLines.Read(TestFiles.SharedData("multi30k/train.en.gz")!).Count());
        Assert.Equal(29000, TextLines.Read(TestFiles.SharedData("multi30k/train.de.gz")!).Count());
    }

    [Fact]
    public void ReadAllKeepsLineEndsAndLocatesInvalidUtf8()
    {
        string dir = TestFiles.TempDir();
        string ok = Path.Combine(dir, "ok.txt"), bad = Path.Combine(dir, "bad.txt");
        File.WriteAllBytes(ok, [0xEF, 0xBB, 0xBF, .. "First:\nTo be.\r\n"u8]);
        Assert.Equal("First:\nTo be.\r\n", TextLines.ReadAll(ok));
        File.WriteAllBytes(bad, [.. "a\nb\nc"u8, 0xFF, (byte)'\n']);
        var ex = Assert.Throws<DataFormatException>(() => TextLines.ReadAll(bad));
        Assert.Equal(3, ex.Line);
    }

    [SharedDataFact("tinyshakespeare/input.txt")]
    public void TinyShakespeareHasItsPublishedLength() =>
        Assert.Equal(1115394, TextLines.ReadAll(TestFiles.SharedData("tinyshakespeare/input.txt")!).Length);
}
