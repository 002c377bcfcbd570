// Runs the CLI in-process with captured stdout/stderr (and optional stdin).
using Attend.Cli.Commands;

namespace Attend.Cli.Tests;

internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(string? stdin, params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        var oldInput = CliApp.OpenInput;
        try
        {
            if (stdin is not null) CliApp.OpenInput = () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin));
            int code = CliApp.Run(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            CliApp.OpenInput = oldInput;
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "attend-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
