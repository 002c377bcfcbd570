// .NET's console stream drops write errors on Unix (a closed pipe, a full disk), so `attend generate | head -c 10`
// would generate forever and `attend translate > /dev/full` would report success. When stdout is redirected, the CLI
// writes through a plain file stream on descriptor 1 instead, whose errors surface as IOExceptions for UserError.
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Attend.Cli.Commands;

/// <summary>Makes failed writes to a redirected standard output visible.</summary>
internal static class StandardOutput
{
    /// <summary>Replaces Console.Out with a flushing writer over descriptor 1 when stdout is not a terminal.</summary>
    public static void ReportWriteErrors()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows()) return;
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        Console.SetOut(new StreamWriter(stream, new UTF8Encoding(false), 1 << 14) { AutoFlush = true });
    }
}
