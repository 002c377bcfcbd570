// The CLI's bench verb: JSON output of the GEMM benchmark and of the patch Transformer's training step (no peer), and a user error (bad --shape) reported as one line with
// exit code 2 and no stack trace.
using System.Text.Json;
using Attend.Cli.Commands;

namespace Attend.Cli.Tests;

[Collection("console")]
public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = CliApp.Run(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void GemmBenchPrintsAJsonArrayWithTheRequestedShape()
    {
        var (code, stdout, _) = Run("bench", "gemm", "--shape", "64x32x48", "--threads", "1", "--seconds", "0.01", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(64, row.GetProperty("m").GetInt32());
        Assert.Equal(32, row.GetProperty("k").GetInt32());
        Assert.Equal(48, row.GetProperty("n").GetInt32());
        Assert.Equal(1, row.GetProperty("threads").GetInt32());
        Assert.True(row.GetProperty("gflops").GetDouble() > 0);
    }

    [Fact]
    public void PatchTransformerTrainStepReportsItsSpeedWithoutAPeer()
    {
        var (code, stdout, stderr) = Run("bench", "train-step", "--case", "patchtst", "--threads", "1", "--seconds", "0.01");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var row = doc.RootElement;
        Assert.Equal("patchtst_etth1_train_step", row.GetProperty("case").GetString());
        Assert.True(row.GetProperty("ms_per_step").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("peer_ms_per_step").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("peer_peak_memory_mb").ValueKind);
        Assert.True(float.IsFinite(row.GetProperty("loss_last").GetSingle()));
        Assert.Contains("no peer figure", stderr);
    }

    [Fact]
    public void BadShapeIsAOneLineUserError()
    {
        var (code, _, stderr) = Run("bench", "gemm", "--shape", "12by3");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --shape: expected MxKxN", stderr);
        Assert.DoesNotContain(" at ", stderr);
    }
}
