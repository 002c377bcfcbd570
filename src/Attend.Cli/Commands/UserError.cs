// The one place that decides which exceptions are the user's (or the environment's) doing and how each reads as one
// line: bad input files and options, and I/O failures (a path that exists or is a directory, no permission, no space,
// a closed pipe). Anything else is a bug and keeps its stack trace.
using Attend.Serialization;
using Attend.Text.Corpora;

namespace Attend.Cli.Commands;

/// <summary>Maps user and environment errors to one-line messages.</summary>
internal static class UserError
{
    // errno values (Linux and macOS agree on these)
    private const int ENOENT = 2, EACCES = 13, EEXIST = 17, EISDIR = 21, ENOTDIR = 20, ENOSPC = 28, EROFS = 30, EPIPE = 32, EDQUOT_LINUX = 122;

    /// <summary>The message to print for <paramref name="e"/>, or null when it is a bug whose trace should show.</summary>
    public static string? Describe(Exception e) => e switch
    {
        Training.EvaluationFailedException f => Describe(f.InnerException!) is null ? null : f.Message,
        UserErrorException or DataFormatException or SafeTensorsException => e.Message,
        Serialization.Onnx.OnnxFormatException => $"ONNX file: {e.Message}",
        UnauthorizedAccessException => $"permission denied: {e.Message}",
        PathTooLongException => e.Message,
        DirectoryNotFoundException or FileNotFoundException => e.Message,
        IOException io => DescribeIo(io),
        OutOfMemoryException or InsufficientMemoryException =>
            "out of memory: the input, model or options need more memory than this process may use " +
            $"({GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 20)} MiB); see docs/limits.md",
        _ => null,
    };

    private static string DescribeIo(IOException e)
    {
        int errno = e.HResult & 0xFFFF;
        if (errno == EPIPE) return "the output was closed before everything was written (broken pipe)";
        string reason = errno switch
        {
            ENOSPC or EDQUOT_LINUX => "no space left on device",
            EROFS => "read-only file system",
            EACCES => "permission denied",
            EISDIR => "is a directory",
            ENOTDIR => "a part of the path is not a directory",
            EEXIST => "already exists",
            ENOENT => "not found",
            _ => "",
        };
        return reason.Length == 0 || e.Message.Contains(reason, StringComparison.OrdinalIgnoreCase) ? e.Message : $"{e.Message} ({reason})";
    }
}
