// CoNLL-U (Universal Dependencies): sentences are blocks of 10 tab-separated columns separated by blank lines,
// with '#' comments. Multi-word token ranges ("3-4") and empty nodes ("5.1") are recognised and skipped, so the
// result holds the syntactic words that carry UPOS tags. Any malformed row names the file, the line and the field.
namespace Attend.Text.Corpora;

/// <summary>A syntactic word: form, lemma, universal and language-specific POS tags, head and relation.</summary>
public readonly record struct ConlluWord(string Form, string Lemma, string Upos, string Xpos, int Head, string DepRel);

/// <summary>A sentence with its id and text comments when present.</summary>
public sealed record ConlluSentence(string? Id, string? Text, IReadOnlyList<ConlluWord> Words, long Line);

/// <summary>Reads CoNLL-U files.</summary>
public static class ConlluReader
{
    /// <summary>The 17 universal POS tags.</summary>
    public static readonly string[] UposTags = ["ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"];

    /// <summary>Streams the sentences of <paramref name="path"/> (plain or .gz).</summary>
    public static IEnumerable<ConlluSentence> Read(string path) => Read(TextLines.Read(path), path);

    /// <summary>Streams the sentences of <paramref name="lines"/>; <paramref name="name"/> is used in errors.</summary>
    public static IEnumerable<ConlluSentence> Read(IEnumerable<string> lines, string name)
    {
        var words = new List<ConlluWord>();
        string? id = null, text = null;
        long lineNo = 0, start = 0;
        foreach (var line in lines)
        {
            lineNo++;
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
            {
                if (words.Count > 0) yield return new ConlluSentence(id, text, words, start);
                words = [];
                id = text = null;
                start = 0;
                continue;
            }
            if (start == 0) start = lineNo;
            if (line[0] == '#')
            {
                if (line.StartsWith("# sent_id = ", StringComparison.Ordinal)) id = line[12..];
                else if (line.StartsWith("# text = ", StringComparison.Ordinal)) text = line[9..];
                continue;
            }
            var f = line.Split('\t');
            if (f.Length != 10) throw new DataFormatException(name, lineNo, $"found {f.Length} tab-separated fields; expected 10 (ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC)");
            string tokenId = f[0];
            if (tokenId.Contains('-'))
            {
                var range = tokenId.Split('-');
                if (range.Length != 2 || !int.TryParse(range[0], out int a) || !int.TryParse(range[1], out int b) || a < 1 || b < a)
                    throw new DataFormatException(name, lineNo, $"field ID '{tokenId}': expected a multi-word range n-m with 1 ≤ n < m");
                continue;
            }
            if (tokenId.Contains('.'))
            {
                var parts = tokenId.Split('.');
                if (parts.Length != 2 || !int.TryParse(parts[0], out int _) || !int.TryParse(parts[1], out int k) || k < 1)
                    throw new DataFormatException(name, lineNo, $"field ID '{tokenId}': expected an empty-node id n.k");
                continue;
            }
            if (!int.TryParse(tokenId, out int index) || index != words.Count + 1)
                throw new DataFormatException(name, lineNo, $"field ID '{tokenId}': expected word index {words.Count + 1}");
            if (f[1].Length == 0) throw new DataFormatException(name, lineNo, "field FORM is empty");
            if (Array.IndexOf(UposTags, f[3]) < 0 && f[3] != "_")
                throw new DataFormatException(name, lineNo, $"field UPOS '{f[3]}': expected one of {string.Join(" ", UposTags)}");
            int head = -1;
            if (f[6] != "_" && (!int.TryParse(f[6], out head) || head < 0))
                throw new DataFormatException(name, lineNo, $"field HEAD '{f[6]}': expected a word index or _");
            words.Add(new ConlluWord(f[1], f[2], f[3], f[4], head, f[7]));
        }
        if (words.Count > 0) yield return new ConlluSentence(id, text, words, start);
    }
}
