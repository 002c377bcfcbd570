// label<TAB>text files: the label is what precedes the first tab, blank lines are skipped, and every malformed line
// names the file and line; random damage and random bytes only ever give examples or a format error.
using Attend.Text.Corpora;

namespace Attend.Text.Tests.Corpora;

public class LabelledTextReaderTests
{
    [Fact]
    public void ReadsLabelsTextsAndLineNumbers()
    {
        var lines = LabelledTextReader.Read(["pos\ta fine film", "", "neg\tdull\twith a tab inside", " neg \tspaces around the label"], "t.tsv");
        Assert.Equal([("pos", "a fine film", 1L), ("neg", "dull\twith a tab inside", 3L), ("neg", "spaces around the label", 4L)],
            lines.Select(l => (l.Label, l.Text, l.Line)));
    }

    [Theory]
    [InlineData("pos a fine film", "t.tsv:1: expected label<TAB>text, found no tab")]
    [InlineData("\tno label", "t.tsv:1: the label (before the tab) is empty")]
    [InlineData("pos\t  ", "t.tsv:1: the text (after the tab) is empty")]
    [InlineData("", "t.tsv: no examples found")]
    public void MalformedLinesNameFileAndLine(string line, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => LabelledTextReader.Read([line], "t.tsv"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void RandomDamageAndBytesGiveExamplesOrFormatErrors()
    {
        var rng = new Random(5);
        string good = "pos\tgreat\nneg\tawful film\nneutral\tmeh\n";
        string dir = TestFiles.TempDir();
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes;
            if (trial % 3 == 0)
            {
                bytes = new byte[rng.Next(0, 64)];
                rng.NextBytes(bytes);
            }
            else
            {
                var chars = good.ToCharArray();
                for (int e = rng.Next(1, 5); e > 0; e--) chars[rng.Next(chars.Length)] = "\t\n x\r"[rng.Next(5)];
                bytes = System.Text.Encoding.UTF8.GetBytes(new string(chars, 0, rng.Next(chars.Length + 1)));
            }
            string path = Path.Combine(dir, $"f{trial}.tsv");
            File.WriteAllBytes(path, bytes);
            try
            {
                var lines = LabelledTextReader.Read(path);
                Assert.All(lines, l => Assert.True(l.Label.Length > 0 && !string.IsNullOrWhiteSpace(l.Text)));
            }
            catch (DataFormatException e)
            {
                Assert.Contains(path, e.Message);
            }
        }
    }
}
