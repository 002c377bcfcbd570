// Sentence pairs for translation: two line-aligned files (Multi30k's train.de.gz / train.en.gz), or one
// tab-separated file of pairs (the Anki/Tatoeba spa.txt format: source TAB target, further columns ignored).
// Misalignment or a missing tab is an error naming the file and line.
namespace Attend.Text.Corpora;

/// <summary>A source sentence and its translation, with the line they came from.</summary>
public readonly record struct SentencePair(string Source, string Target, long Line);

/// <summary>Readers of parallel text.</summary>
public static class ParallelCorpus
{
    /// <summary>Streams pairs from two line-aligned files (plain or .gz); differing line counts are an error.</summary>
    public static IEnumerable<SentencePair> ReadAligned(string sourcePath, string targetPath)
    {
        using var src = TextLines.Read(sourcePath).GetEnumerator();
        using var tgt = TextLines.Read(targetPath).GetEnumerator();
        long line = 0;
        while (true)
        {
            bool hasSource = src.MoveNext(), hasTarget = tgt.MoveNext();
            line++;
            if (!hasSource && !hasTarget) yield break;
            if (hasSource != hasTarget)
            {
                var (shorter, longer) = hasSource ? (targetPath, sourcePath) : (sourcePath, targetPath);
                throw new DataFormatException(shorter, line, $"file ends after {line - 1} lines but {longer} continues; expected line-aligned files of equal length");
            }
            yield return new SentencePair(src.Current, tgt.Current, line);
        }
    }

    /// <summary>
    /// Streams pairs from a tab-separated file: column <paramref name="sourceColumn"/> and <paramref name="targetColumn"/>
    /// (0-based; the Anki format is English TAB translation TAB attribution). Blank lines are skipped.
    /// </summary>
    public static IEnumerable<SentencePair> ReadTabSeparated(string path, int sourceColumn = 0, int targetColumn = 1)
    {
        long line = 0;
        int needed = Math.Max(sourceColumn, targetColumn) + 1;
        foreach (var text in TextLines.Read(path))
        {
            line++;
            if (text.Length == 0) continue;
            var cols = text.Split('\t');
            if (cols.Length < needed)
                throw new DataFormatException(path, line, $"found {cols.Length} tab-separated column(s); expected at least {needed} (source TAB target)");
            yield return new SentencePair(cols[sourceColumn], cols[targetColumn], line);
        }
    }
}
