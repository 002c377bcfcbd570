// The root command: wires the verbs and turns user errors into one clear line and a non-zero exit code.
using System.CommandLine;
using System.CommandLine.Invocation;

namespace Attend.Cli.Commands;

/// <summary>Builds and runs the `attend` command line.</summary>
public static class CliApp
{
    /// <summary>Opens standard input as bytes (replaced by tests).</summary>
    internal static Func<Stream> OpenInput { get; set; } = Console.OpenStandardInput;

    /// <summary>Parses <paramref name="args"/>, runs the verb and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Attend: attention-based sequence models in pure .NET.")
        {
            DemoCommand.Create(),
            TrainCommand.Create(),
            BenchCommand.Create(),
            InfoCommand.Create(),
            EvalCommand.Create(),
            TokenizerCommand.Create(),
            ConvertCommand.Create(),
            TranslateCommand.Create(),
            GenerateCommand.Create(),
            ForecastCommands.CreateForecast(),
            ClassifyCommands.CreateClassify(),
            EmbedCommands.CreateEmbed(),
            EmbedCommands.CreateSearch(),
            TagCommands.CreateTag(),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.Describe(e) is { } message)
        {
            TryWriteError(message);
            return 2;
        }
    }

    // stderr may itself be closed or full: the exit code still tells
    private static void TryWriteError(string message)
    {
        try
        {
            Console.Error.WriteLine($"error: {message}");
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An error caused by the user's input: reported as one line, without a stack trace.</summary>
public sealed class UserErrorException(string message) : Exception(message);
