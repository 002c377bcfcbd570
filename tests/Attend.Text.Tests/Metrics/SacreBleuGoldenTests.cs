// Every case of ../shared/golden/bleu_cases.json (computed with sacreBLEU 2.6.0), copied to tests/golden: BLEU, its
// statistics and signature, and chrF must match to 1e-9.
using System.Text.Json;
using Attend.Text.Metrics;

namespace Attend.Text.Tests.Metrics;

public class SacreBleuGoldenTests
{
    private static readonly JsonElement[] Cases = JsonDocument.Parse(File.ReadAllText(TestFiles.Golden("bleu_cases.json"))).RootElement.EnumerateArray().ToArray();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static (JsonElement Case, string[] Hyps, string[][] Refs) Load(string name)
    {
        var c = Cases.Single(x => x.GetProperty("name").GetString() == name);
        var hyps = c.GetProperty("hypotheses").EnumerateArray().Select(h => h.GetString()!).ToArray();
        var refs = c.GetProperty("references").EnumerateArray().Select(s => s.EnumerateArray().Select(r => r.GetString()!).ToArray()).ToArray();
        return (c, hyps, refs);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BleuMatchesSacreBleu(string name)
    {
        var (c, hyps, refs) = Load(name);
        bool sentence = c.GetProperty("level").GetString() == "sentence";
        var score = sentence ? Bleu.Sentence(hyps[0], refs.Select(s => s[0]).ToArray()) : Bleu.Corpus(hyps, refs);
        Assert.Equal(c.GetProperty("bleu").GetDouble(), score.Score, 1e-9);
        Assert.Equal(c.GetProperty("bleu_signature").GetString(), score.Signature);
        if (c.TryGetProperty("bleu_details", out var details))
        {
            Assert.Equal(details.GetProperty("counts").EnumerateArray().Select(x => x.GetInt64()), score.Counts);
            Assert.Equal(details.GetProperty("totals").EnumerateArray().Select(x => x.GetInt64()), score.Totals);
            Assert.Equal(details.GetProperty("sys_len").GetInt64(), score.SysLen);
            Assert.Equal(details.GetProperty("ref_len").GetInt64(), score.RefLen);
            Assert.Equal(details.GetProperty("bp").GetDouble(), score.BrevityPenalty, 1e-12);
            Assert.Equal(details.GetProperty("formatted").GetString(), score.ToString());
        }
        if (sentence && c.TryGetProperty("bleu_without_effective_order", out var plain))
            Assert.Equal(plain.GetDouble(), Bleu.Sentence(hyps[0], refs.Select(s => s[0]).ToArray(), effectiveOrder: false).Score, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ChrfMatchesSacreBleu(string name)
    {
        var (c, hyps, refs) = Load(name);
        bool sentence = c.GetProperty("level").GetString() == "sentence";
        var score = sentence ? Chrf.Sentence(hyps[0], refs.Select(s => s[0]).ToArray()) : Chrf.Corpus(hyps, refs);
        Assert.Equal(c.GetProperty("chrf").GetDouble(), score.Score, 1e-9);
        Assert.Equal(c.GetProperty("chrf_signature").GetString(), score.Signature);
    }

    [Fact]
    public void LowercaseMakesCaseMismatchesCount()
    {
        var mixed = Bleu.Corpus(["The Cat sat on the mat"], [["the cat sat on the mat"]]);
        var lower = Bleu.Corpus(["The Cat sat on the mat"], [["the cat sat on the mat"]], lowercase: true);
        Assert.True(mixed.Score < 100);
        Assert.Equal(100.0, lower.Score, 1e-9);
        Assert.Contains("case:lc", lower.Signature);
    }

    [Theory]
    [InlineData("It costs $3.50, i.e. 1,200 / 05:30 - 5-6!", "It costs $ 3.50 , i . e . 1,200 / 05 : 30 - 5 - 6 !")]
    [InlineData("&quot;Hi&quot; &amp; bye", "\" Hi \" & bye")]
    [InlineData("Größe — ¿qué?", "Größe — ¿qué ?")]
    public void Tokenizer13aSplitsAsSacreBleu(string input, string expected) =>
        Assert.Equal(expected, string.Join(' ', Tokenizer13a.Tokenize(input)));

    [Fact]
    public void MismatchedReferenceStreamIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a", "b"], [["a"]]));
        Assert.Contains("1 lines but there are 2 hypotheses", ex.Message);
    }
}
