// The table-driven NFD/NFC that the WordPiece pre-tokenizer uses where ICU is absent (invariant globalization), against
// ICU's own normalisation on this machine: every code point with a canonical decomposition, Hangul syllables, and
// random text of letters with combining marks. (CI also runs the BERT tokenizer's golden cases with invariant
// globalization, where only the table is there.)
using System.Text;
using Attend.Text.Tokenization;

namespace Attend.Text.Tests.Tokenization;

public sealed class UnicodeNormalizationTests
{

    [Fact]
    public void NoncharactersPassThroughInsteadOfThrowing()
    {
        // string.Normalize throws on U+FFFE; the FsCheck tokenizer property found it
        Assert.Equal("a\uFFFEe\u0301", UnicodeNormalization.Nfd("a\uFFFE\u00e9"));
        Assert.Equal("a\uFFFE\u00e9", UnicodeNormalization.Nfc("a\uFFFEe\u0301"));
    }

    [Fact]
    public void EveryCodePointDecomposesAndComposesAsIcuDoes()
    {
        if (!UnicodeNormalization.Native) return;   // the invariant-globalization run has no ICU to compare with
        int checkedPoints = 0;
        for (int cp = 0xA0; cp <= 0x2FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) continue;
            string s = char.ConvertFromUtf32(cp);
            string nfd;
            try { nfd = s.Normalize(NormalizationForm.FormD); }
            catch (ArgumentException) { continue; }   // unassigned
            Assert.True(nfd == UnicodeNormalization.Decompose(s), $"NFD of U+{cp:X4}");
            Assert.True(s.Normalize(NormalizationForm.FormC) == UnicodeNormalization.Compose(UnicodeNormalization.Decompose(s)), $"NFC of U+{cp:X4}");
            checkedPoints++;
        }
        Assert.True(checkedPoints > 100_000);
    }

    [Fact]
    public void LettersWithMarksInCanonicalOrderComposeAsIcuDoes()
    {
        if (!UnicodeNormalization.Native) return;
        string[] bases = ["a", "e", "i", "o", "u", "A", "E", "O", "U", "n", "c", "s", "z", "y", "ω", "α", "и", "е", "ᄀ", "가", " ", "x"];
        string[] marks = ["", "", "\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u030A", "\u0327", "\u030C", "\u0304", "\u0308\u0304", "\u0301\u0301", "\u1161", "\u11A8"];
        var rng = new Rng(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            var sb = new StringBuilder();
            for (int i = 0, n = 1 + rng.NextInt(6); i < n; i++) sb.Append(bases[rng.NextInt(bases.Length)]).Append(marks[rng.NextInt(marks.Length)]);
            string text = sb.ToString();
            Assert.True(text.Normalize(NormalizationForm.FormC) == UnicodeNormalization.Compose(UnicodeNormalization.Decompose(text)), $"NFC of \"{text}\"");
            Assert.True(text.Normalize(NormalizationForm.FormD) == UnicodeNormalization.Decompose(text), $"NFD of \"{text}\"");
        }
    }
}
