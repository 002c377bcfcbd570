// The CLI's bench and info verbs: every bench output is {"machine": …, "results": […]} with the machine block (CPU,
// cores, vector path, FMA peak measured in the run) and no stored peer figure; a user error (bad --shape) is one line
// with exit code 2 and no stack trace.
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
        AssertMachine(doc.RootElement.GetProperty("machine"), threads: 1);
        var row = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(64, row.GetProperty("m").GetInt32());
        Assert.Equal(32, row.GetProperty("k").GetInt32());
        Assert.Equal(48, row.GetProperty("n").GetInt32());
        Assert.Equal(1, row.GetProperty("threads").GetInt32());
        Assert.True(row.GetProperty("gflops").GetDouble() > 0);
    }

    [Fact]
    public void TrainStepReportsItsSpeedAndNoStoredPeerFigure()
    {
        var (code, stdout, stderr) = Run("bench", "train-step", "--case", "patchtst", "--threads", "1", "--seconds", "0.01");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var row = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("patchtst_etth1_train_step", row.GetProperty("case").GetString());
        Assert.True(row.GetProperty("ms_per_step").GetDouble() > 0);
        Assert.True(row.GetProperty("peak_memory_mb").GetDouble() > 0);
        Assert.DoesNotContain(row.EnumerateObject(), p => p.Name.Contains("peer"));
        Assert.True(float.IsFinite(row.GetProperty("loss_last").GetSingle()));
        Assert.Contains("vector path:", stderr);
        Assert.Contains("FMA peak, measured:", stderr);
    }

    [Fact]
    public void InfoNamesTheVectorPathAndMeasuresThePeak()
    {
        var (code, stdout, _) = Run("info", "--threads", "1", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        AssertMachine(doc.RootElement, threads: 1);
        var (textCode, text, _) = Run("info", "--threads", "1");
        Assert.Equal(0, textCode);
        Assert.Contains($"vector path:         {Attend.Kernels.Simd.Isa.Describe()}", text);
    }

    private static void AssertMachine(JsonElement machine, int threads)
    {
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("cpu").GetString()));
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.Equal(threads, machine.GetProperty("threads").GetInt32());
        Assert.Equal(Attend.Kernels.Simd.Isa.Describe(), machine.GetProperty("vector_path").GetString());
        Assert.Equal(Attend.Kernels.Simd.Isa.Lanes, machine.GetProperty("lanes").GetInt32());
        Assert.Equal(Attend.Kernels.Blas.Gemm.Best.ToString(), machine.GetProperty("gemm_kernel").GetString());
        Assert.True(machine.GetProperty("fma_peak_gflops_one_thread").GetDouble() > 0);
        Assert.True(machine.GetProperty("fma_peak_gflops_all_threads").GetDouble() > 0);
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
