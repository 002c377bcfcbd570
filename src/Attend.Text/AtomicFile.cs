// Writing a file so that it is either the old one or the complete new one: write a temporary file beside it, then
// rename over the target. Every file Attend writes (tokenizers, weights, configs, checkpoints) goes through here.
namespace Attend.Text;

/// <summary>Atomic file writes.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> via a temporary file and a rename.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"cannot write {path}: it is a directory; expected a file path", 21 /* EISDIR */);
        string parent = Path.GetDirectoryName(full)!;
        if (File.Exists(parent)) throw new IOException($"cannot write {path}: {Path.GetDirectoryName(path)} is a file, not a directory", 20 /* ENOTDIR */);
        Directory.CreateDirectory(parent);
        string temp = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> (no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
}
