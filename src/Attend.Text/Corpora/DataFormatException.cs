// The one error type every reader throws for malformed input: it names the file, the line (1-based, 0 when the
// problem is not tied to a line) and what was expected, so the CLI can print it as a single line.
namespace Attend.Text.Corpora;

/// <summary>Malformed input in a data file.</summary>
public sealed class DataFormatException(string file, long line, string message)
    : Exception(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
{
    /// <summary>The file that was being read.</summary>
    public string File { get; } = file;

    /// <summary>1-based line number, or 0 when not tied to a line.</summary>
    public long Line { get; } = line;
}
