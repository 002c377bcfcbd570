// Corpus readers on small files made here (including malformed ones, which must raise DataFormatException naming
// file and line), fuzzed with random damage, and on the real datasets in ../shared/data when present.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Attend.Text.Corpora;

namespace Attend.Text.Tests.Corpora;

public class ReaderTests
{
    private static string Write(string name, string content)
    {
        string path = Path.Combine(TestFiles.TempDir(), name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void AlignedFilesPairLineByLine()
    {
        var src = Write("a.de", "Ein Hund.\nZwei Katzen.\n");
        var tgt = Write("a.en", "A dog.\nTwo cats.\n");
        var pairs = ParallelCorpus.ReadAligned(src, tgt).ToList();
        Assert.Equal([new SentencePair("Ein Hund.", "A dog.", 1), new SentencePair("Zwei Katzen.", "Two cats.", 2)], pairs);
    }

    [Fact]
    public void MisalignedFilesNameTheShorterFileAndLine()
    {
        var src = Write("a.de", "1\n2\n3\n");
        var tgt = Write("a.en", "1\n2\n");
        var ex = Assert.Throws<DataFormatException>(() => ParallelCorpus.ReadAligned(src, tgt).ToList());
        Assert.Equal(tgt, ex.File);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void TabSeparatedPairsIgnoreExtraColumnsAndRejectMissingTabs()
    {
        var ok = Write("spa.txt", "Go.\tVe.\tCC-BY 2.0 (France) Attribution: tatoeba.org\nHi.\tHola.\n");
        Assert.Equal(["Go.|Ve.", "Hi.|Hola."], ParallelCorpus.ReadTabSeparated(ok).Select(p => p.Source + "|" + p.Target));
        var bad = Write("bad.txt", "Go.\tVe.\nno tab here\n");
        var ex = Assert.Throws<DataFormatException>(() => ParallelCorpus.ReadTabSeparated(bad).ToList());
        Assert.Contains(":2: found 1 tab-separated column(s)", ex.Message);
    }

    private const string Conllu = """
        # sent_id = s1
        # text = I don't know.
        1	I	I	PRON	PRP	_	3	nsubj	_	_
        2-3	don't	_	_	_	_	_	_	_	_
        2	do	do	AUX	VBP	_	4	aux	_	_
        3	n't	not	PART	RB	_	4	advmod	_	_
        3.1	x	x	_	_	_	_	_	_	_
        4	know	know	VERB	VB	_	0	root	_	_
        5	.	.	PUNCT	.	_	4	punct	_	_

        1	Hi	hi	INTJ	UH	_	0	root	_	_
        """;

    [Fact]
    public void ConlluSkipsRangesAndEmptyNodes()
    {
        var sentences = ConlluReader.Read(Conllu.Split('\n'), "t.conllu").ToList();
        Assert.Equal(2, sentences.Count);
        Assert.Equal("s1", sentences[0].Id);
        Assert.Equal(["I", "do", "n't", "know", "."], sentences[0].Words.Select(w => w.Form));
        Assert.Equal(["PRON", "AUX", "PART", "VERB", "PUNCT"], sentences[0].Words.Select(w => w.Upos));
        Assert.Equal(["Hi"], sentences[1].Words.Select(w => w.Form));
    }

    [Theory]
    [InlineData("1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_", "found 9 tab-separated fields")]
    [InlineData("1\tI\tI\tPRONOUN\tPRP\t_\t3\tnsubj\t_\t_", "field UPOS 'PRONOUN'")]
    [InlineData("2\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_", "expected word index 1")]
    [InlineData("1\tI\tI\tPRON\tPRP\t_\tx\tnsubj\t_\t_", "field HEAD 'x'")]
    [InlineData("3-1\tI\t_\t_\t_\t_\t_\t_\t_\t_", "multi-word range")]
    public void MalformedConlluRowsNameTheField(string row, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => ConlluReader.Read(["# c", row], "t.conllu").ToList());
        Assert.StartsWith("t.conllu:2: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ImdbReadsFolderAndTarGzIdentically()
    {
        string root = TestFiles.TempDir();
        var files = new Dictionary<string, string>
        {
            ["aclImdb/train/pos/3_9.txt"] = "Great film.<br />Loved it.",
            ["aclImdb/train/pos/1_7.txt"] = "Good.",
            ["aclImdb/train/neg/2_1.txt"] = "Awful.",
            ["aclImdb/test/neg/0_2.txt"] = "Bad.",
        };
        foreach (var (name, text) in files)
        {
            string p = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, text);
        }
        Directory.CreateDirectory(Path.Combine(root, "aclImdb", "test", "pos"));
        string tgz = Path.Combine(TestFiles.TempDir(), "imdb.tar.gz");
        using (var gz = new GZipStream(File.Create(tgz), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
        {
            foreach (var (name, text) in files.Reverse())
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        }
        var fromDir = ImdbReader.Read(root, "train");
        var fromTar = ImdbReader.Read(tgz, "train");
        Assert.Equal(fromDir, fromTar);
        Assert.Equal([(1, 1, 7), (1, 3, 9), (0, 2, 1)], fromDir.Select(r => (r.Label, r.Id, r.Rating)));
    }

    [Fact]
    public void DamagedFilesOnlyEverRaiseFormatErrors()
    {
        var rng = new Random(2);
        string conllu = Conllu, tsv = "a\tb\nc\td\te\n";
        for (int trial = 0; trial < 300; trial++)
        {
            string Damage(string s)
            {
                var chars = s.ToCharArray();
                for (int e = rng.Next(1, 4); e > 0; e--) chars[rng.Next(chars.Length)] = "\t\n,.-_x1 #"[rng.Next(10)];
                return new string(chars, 0, rng.Next(chars.Length + 1));
            }
            Expect(() => ConlluReader.Read(Damage(conllu).Split('\n'), "d.conllu").ToList());
            Expect(() => ParallelCorpus.ReadTabSeparated(Write("d.tsv", Damage(tsv))).ToList());
        }
        var junk = new byte[300];
        rng.NextBytes(junk);
        string junkPath = Path.Combine(TestFiles.TempDir(), "junk.tar.gz");
        File.WriteAllBytes(junkPath, junk);
        Expect(() => ImdbReader.Read(junkPath, "train"));
    }

    private static void Expect(Action read)
    {
        try { read(); }
        catch (DataFormatException) { }
    }

    [SharedDataFact("ud-english-ewt/en_ewt-ud-dev.conllu")]
    public void RealEwtDevHas2001Sentences()
    {
        var sentences = ConlluReader.Read(TestFiles.SharedData("ud-english-ewt/en_ewt-ud-dev.conllu")!).ToList();
        Assert.Equal(2001, sentences.Count);
        Assert.Equal(25147, sentences.Sum(s => s.Words.Count));
    }

    [SharedDataFact("spa-eng/spa.txt")]
    public void RealSpaEngHasAllPairs() =>
        Assert.Equal(118964, ParallelCorpus.ReadTabSeparated(TestFiles.SharedData("spa-eng/spa.txt")!).Count());

    [SharedDataFact("imdb/aclImdb_train_test.tar.gz")]
    public void RealImdbTestSplitIsBalanced()
    {
        var reviews = ImdbReader.Read(TestFiles.SharedData("imdb/aclImdb_train_test.tar.gz")!, "test");
        Assert.Equal(25000, reviews.Count);
        Assert.Equal(12500, reviews.Count(r => r.Label == 1));
    }
}
