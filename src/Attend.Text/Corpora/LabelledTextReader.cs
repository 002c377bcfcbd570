// Labelled texts in the plainest exchange format: one example a line, "label<TAB>text" (the label is everything before
// the first tab). Blank lines are skipped; a line without a tab, or with an empty label or text, names the file and line.
namespace Attend.Text.Corpora;

/// <summary>A text with its label name.</summary>
public sealed record LabelledLine(string Label, string Text, long Line);

/// <summary>Reads label&lt;TAB&gt;text files (plain or .gz).</summary>
public static class LabelledTextReader
{
    /// <summary>The examples of <paramref name="path"/>.</summary>
    public static List<LabelledLine> Read(string path) => Read(TextLines.Read(path), path);

    /// <summary>The examples of <paramref name="lines"/>; <paramref name="name"/> is used in errors.</summary>
    public static List<LabelledLine> Read(IEnumerable<string> lines, string name)
    {
        var result = new List<LabelledLine>();
        long lineNo = 0;
        foreach (var line in lines)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            int tab = line.IndexOf('\t');
            if (tab < 0) throw new DataFormatException(name, lineNo, "expected label<TAB>text, found no tab");
            string label = line[..tab].Trim(), text = line[(tab + 1)..];
            if (label.Length == 0) throw new DataFormatException(name, lineNo, "the label (before the tab) is empty");
            if (string.IsNullOrWhiteSpace(text)) throw new DataFormatException(name, lineNo, "the text (after the tab) is empty");
            result.Add(new LabelledLine(label, text, lineNo));
        }
        if (result.Count == 0) throw new DataFormatException(name, 0, "no examples found (expected label<TAB>text lines)");
        return result;
    }
}
