// The IMDB Large Movie Review Dataset in its original aclImdb layout — aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt —
// read either from the unpacked folder or straight from the .tar.gz (System.Formats.Tar, streamed, nothing extracted).
// Label 1 = pos, 0 = neg. Reviews are returned in a fixed order (by split, label, then numeric id) so runs are
// reproducible whichever way the archive was packed.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Attend.Text.Corpora;

/// <summary>One review.</summary>
public sealed record Review(string Text, int Label, int Rating, int Id);

/// <summary>Reads the aclImdb layout.</summary>
public static partial class ImdbReader
{
    [GeneratedRegex(@"(?:^|/)aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")]
    private static partial Regex ReviewPath();

    /// <summary>
    /// Reviews of <paramref name="split"/> ("train" or "test") from <paramref name="path"/>: the aclImdb folder (or its
    /// parent) or the .tar.gz / .tar archive.
    /// </summary>
    public static List<Review> Read(string path, string split)
    {
        if (split is not ("train" or "test")) throw new ArgumentException($"split must be train or test, got {split}");
        var reviews = new List<Review>();
        if (Directory.Exists(path))
        {
            string root = Directory.Exists(Path.Combine(path, "aclImdb")) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var label in new[] { "pos", "neg" })
            {
                string dir = Path.Combine(root, "aclImdb", split, label);
                if (!Directory.Exists(dir)) throw new DataFormatException(path, 0, $"expected the folder aclImdb/{split}/{label}");
                foreach (var file in Directory.EnumerateFiles(dir, "*.txt"))
                {
                    string rel = "aclImdb/" + split + "/" + label + "/" + Path.GetFileName(file);
                    reviews.Add(Parse(rel, File.ReadAllBytes(file), path));
                }
            }
        }
        else if (File.Exists(path))
        {
            using Stream file = File.OpenRead(path);
            using Stream data = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress) : file;
            try
            {
                using var tar = new TarReader(data);
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                    var m = ReviewPath().Match(entry.Name);
                    if (!m.Success || m.Groups[1].Value != split) continue;
                    using var ms = new MemoryStream();
                    entry.DataStream.CopyTo(ms);
                    reviews.Add(Parse(entry.Name, ms.ToArray(), path));
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new DataFormatException(path, 0, $"not a readable tar archive ({e.Message})");
            }
        }
        else
        {
            throw new DataFormatException(path, 0, "neither an aclImdb folder nor a .tar.gz archive was found here");
        }
        if (reviews.Count == 0) throw new DataFormatException(path, 0, $"no reviews found under aclImdb/{split}/pos or neg");
        reviews.Sort((a, b) => a.Label != b.Label ? b.Label.CompareTo(a.Label) : a.Id.CompareTo(b.Id));
        return reviews;
    }

    private static Review Parse(string name, byte[] bytes, string container)
    {
        var m = ReviewPath().Match(name);
        if (!m.Success) throw new DataFormatException(container, 0, $"{name}: expected a file named <id>_<rating>.txt");
        string text = TextLines.Decode(bytes, $"{container}:{name}", 1).TrimEnd('\n', '\r');
        int rating = int.Parse(m.Groups[4].Value);
        if (rating is < 1 or > 10) throw new DataFormatException(container, 0, $"{name}: rating {rating} is outside 1..10");
        return new Review(text, m.Groups[2].Value == "pos" ? 1 : 0, rating, int.Parse(m.Groups[3].Value));
    }
}
