// The language-modelling split: nanoGPT's first-90% cut, no split inside a surrogate pair, and clear errors for a
// missing file, invalid UTF-8 and texts too short to split; random byte strings never crash the reader.
using System.Text;
using Attend.Text.Corpora;

namespace Attend.Text.Tests.Corpora;

public class TextSplitTests
{
    [Fact]
    public void TheFirstNinetyPercentIsForTraining()
    {
        var text = new string('a', 95) + new string('b', 5);
        var (train, valid) = TextSplit.Split(text, 0.1);
        Assert.Equal(90, train.Length);
        Assert.Equal(text, train + valid);
    }

    [Fact]
    public void ASurrogatePairIsNeverCut()
    {
        var text = "abcdefghi😀j"; // the emoji's two UTF-16 units sit at indices 9 and 10
        var (train, valid) = TextSplit.Split(text, 0.1);
        Assert.Equal(text, train + valid);
        Assert.False(char.IsHighSurrogate(train[^1]));
    }

    [Fact]
    public void BadFilesAreNamed()
    {
        string dir = TestFiles.TempDir();
        var missing = Assert.Throws<DataFormatException>(() => TextSplit.Read(Path.Combine(dir, "none.txt"), 0.1));
        Assert.Contains("file not found", missing.Message);
        string bad = Path.Combine(dir, "bad.txt");
        File.WriteAllBytes(bad, [0x61, 0x62, 0xff, 0xfe, 0x63]);
        var invalid = Assert.Throws<DataFormatException>(() => TextSplit.Read(bad, 0.1));
        Assert.Contains("bad.txt", invalid.Message);
        Assert.Contains("UTF-8", invalid.Message);
        string tiny = Path.Combine(dir, "tiny.txt");
        File.WriteAllText(tiny, "a");
        Assert.Contains("too few", Assert.Throws<DataFormatException>(() => TextSplit.Read(tiny, 0.1)).Message);
    }

    [Fact]
    public void RandomBytesGiveTextOrAFormatError()
    {
        string path = Path.Combine(TestFiles.TempDir(), "fuzz.txt");
        var rng = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var bytes = new byte[rng.Next(0, 64)];
            rng.NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            try
            {
                var (train, valid) = TextSplit.Read(path, 0.1);
                Assert.Equal(new UTF8Encoding(false, true).GetString(bytes), train + valid);
            }
            catch (DataFormatException e)
            {
                Assert.Contains("fuzz.txt", e.Message);
            }
        }
    }
}
