// A training run killed with SIGKILL (no chance to clean up) and resumed with --resume, twice, ends with exactly the
// weights, optimizer state and curve of a run that was never interrupted: checkpoints are atomic, and the counters in
// them (step, data position, RNG seeds) are all a resume needs. The runs are real `attend` processes.
using System.Diagnostics;
using Attend.Cli.Commands;
using Attend.Serialization;

namespace Attend.Cli.Tests;

[Collection("console")]
public class KillResumeTests
{
    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(CliApp).Assembly.Location);                 // attend.dll beside the tests
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static int RunToEnd(params string[] args)
    {
        using var p = Start(args);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "attend did not finish within 3 minutes");
        return p.ExitCode;
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"architecture\": \"rnn\", \"embedding_dim\": 16, \"encoder_hidden\": 16, \"decoder_hidden\": 32, \"attention_dim\": 16")]
    public void ARunKilledTwiceAndResumedEndsWithTheUninterruptedRunsState(string model)
    {
        string dir = CliRunner.TempDir();
        string config = TrainDemoTests.TinyConfig(dir, model);
        string[] Args(string run, params string[] more) =>
            ["train", "translation", "--config", config, "--out", run, "--set", "train.max_steps=150", "--set", "train.checkpoint_every=4", .. more];

        string straight = Path.Combine(dir, "straight"), killed = Path.Combine(dir, "killed");
        Assert.Equal(0, RunToEnd(Args(straight)));

        var rng = new Random(11);
        string state = Path.Combine(killed, "train_state.safetensors");
        for (int kill = 0; kill < 2; kill++)
        {
            using var p = Start(Args(killed, kill == 0 ? [] : ["--resume"]));
            var watch = Stopwatch.StartNew();
            DateTime stamp = File.Exists(state) ? File.GetLastWriteTimeUtc(state) : DateTime.MinValue;
            // wait for a new checkpoint, then kill at a random moment of the work after it
            while (!p.HasExited && (!File.Exists(state) || File.GetLastWriteTimeUtc(state) == stamp) && watch.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
            Assert.False(p.HasExited, "the run ended before it could be killed; make it longer");
            Thread.Sleep(rng.Next(0, 250));
            p.Kill(entireProcessTree: true);                                    // SIGKILL
            p.WaitForExit();
        }
        Assert.Equal(0, RunToEnd(Args(killed, "--resume")));

        var a = SafeTensorsFile.Load(Path.Combine(straight, "train_state.safetensors"));
        var b = SafeTensorsFile.Load(state);
        Assert.Equal(a.Entries.Keys.Order(), b.Entries.Keys.Order());
        foreach (var name in a.Entries.Keys.Where(n => a.Entries[n].DType == "F32")) Assert.Equal(a.ReadFloats(name), b.ReadFloats(name));
        Assert.Equal(File.ReadAllText(Path.Combine(straight, "curve.csv")).Split('\n').Select(StripTime), File.ReadAllText(Path.Combine(killed, "curve.csv")).Split('\n').Select(StripTime));
    }

    // curve.csv rows are step,elapsed,…: the wall time differs between runs, every other field must not
    private static string StripTime(string row)
    {
        var f = row.Split(',');
        return f.Length > 1 ? string.Join(',', f.Where((_, i) => i != 1)) : row;
    }
}
