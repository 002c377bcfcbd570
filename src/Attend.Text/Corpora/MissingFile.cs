// The one error for an input path that is not a readable file: "file not found", or "is a directory" when the user
// named a folder, so that every reader says the same thing the same way.
namespace Attend.Text.Corpora;

/// <summary>The error for an input path that is not a readable file.</summary>
public static class MissingFile
{
    /// <summary>"file not found", or "is a directory" when it is one, for <paramref name="path"/>.</summary>
    public static DataFormatException Error(string path) =>
        new(path, 0, Directory.Exists(path) ? "is a directory; expected a file" : "file not found");
}
