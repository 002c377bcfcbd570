// Strict streaming of UTF-8 text lines from plain or gzip-compressed files. Invalid UTF-8 is an error naming the
// file and line (never silently replaced by U+FFFD); a leading byte-order mark is skipped; \n and \r\n both end lines.
using System.IO.Compression;
using System.Text;

namespace Attend.Text.Corpora;

/// <summary>Reads text files line by line.</summary>
public static class TextLines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Opens <paramref name="path"/>, decompressing when it ends in <c>.gz</c>.</summary>
    public static Stream Open(string path)
    {
        if (!System.IO.File.Exists(path)) throw MissingFile.Error(path);
        Stream s = System.IO.File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(s, CompressionMode.Decompress) : s;
    }

    /// <summary>The whole of <paramref name="path"/> (plain or .gz) as strict UTF-8 text, line ends kept (a BOM is dropped).</summary>
    public static string ReadAll(string path)
    {
        using var stream = Open(path);
        using var ms = new MemoryStream();
        try
        {
            stream.CopyTo(ms);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, 0, $"corrupt compressed data ({e.Message})");
        }
        var bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // find the line for the message
            long line = 1;
            int valid = 0;
            while (valid < bytes.Length)
            {
                if (System.Text.Rune.DecodeFromUtf8(bytes[valid..], out var rune, out int used) != System.Buffers.OperationStatus.Done) break;
                if (rune.Value == '\n') line++;
                valid += used;
            }
            throw new DataFormatException(path, line, "invalid UTF-8; expected UTF-8 text");
        }
    }

    /// <summary>The lines of <paramref name="path"/> (plain or .gz), decoded as strict UTF-8.</summary>
    public static IEnumerable<string> Read(string path)
    {
        using var stream = Open(path);
        foreach (var line in Read(stream, path)) yield return line;
    }

    /// <summary>The lines of <paramref name="stream"/>; <paramref name="name"/> is used in error messages.</summary>
    public static IEnumerable<string> Read(Stream stream, string name)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        var bytes = new List<byte>(256);
        long lineNo = 0;
        bool first = true;
        while (true)
        {
            bytes.Clear();
            int b;
            bool any = false;
            while ((b = ReadByte(buffered, name, lineNo + 1)) >= 0)
            {
                any = true;
                if (b == '\n') break;
                bytes.Add((byte)b);
            }
            if (!any) yield break;
            lineNo++;
            int start = 0, count = bytes.Count;
            if (first && count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;
            first = false;
            if (count > start && bytes[count - 1] == '\r') count--;
            yield return Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[start..count], name, lineNo);
            if (b < 0) yield break;
        }
    }

    private static int ReadByte(Stream s, string name, long line)
    {
        try
        {
            return s.ReadByte();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(name, line, $"corrupt compressed data ({e.Message})");
        }
    }

    /// <summary>Decodes one line as strict UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string name, long line)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(name, line, $"invalid UTF-8 at byte {e.Index + 1} of the line; expected UTF-8 text");
        }
    }
}
