// `attend bench gemm|ops|decode|train-step`: performance figures as JSON, {"machine": …, "results": […]}: the machine
// block (CPU, cores, vector path, FMA peak measured in this run) heads every output. No peer figure is stored here:
// bench/run.py measures PyTorch and OpenBLAS on the same machine in the same sitting and prints the ratios.
using System.CommandLine;
using System.Text.Json;
using Attend.Cli.Bench;
using Attend.Kernels;
using Attend.Tensors;

namespace Attend.Cli.Commands;

/// <summary>The `bench` verb and its subcommands.</summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    /// <summary>Creates `attend bench`.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure kernel and model speed; prints JSON.");
        bench.Add(CreateGemm());
        bench.Add(CreateOps());
        bench.Add(CreateDecode());
        bench.Add(CreateTrainStep());
        return bench;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print only the JSON array." };
    private static Option<double> SecondsOption() => new("--seconds") { Description = "Minimum timed seconds per case.", DefaultValueFactory = _ => 1.0 };

    private static Command CreateGemm()
    {
        var threads = CommonOptions.Threads();
        var json = JsonOption();
        var seconds = SecondsOption();
        var layout = new Option<string>("--layout") { Description = "Operand layout: nn, nt or tn.", DefaultValueFactory = _ => "nn" };
        layout.AcceptOnlyFromAmong("nn", "nt", "tn");
        var shape = new Option<string?>("--shape") { Description = "One shape MxKxN instead of the peer shapes." };
        var cmd = new Command("gemm", "GFLOP/s of C = A·B on the peer shapes (../shared/peers/results.md §2).") { threads, json, seconds, layout, shape };
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var shapes = r.GetValue(shape) is { } s ? [ParseShape(s)] : GemmBench.PeerShapes;
            var machine = Machine(t, r.GetValue(seconds), r.GetValue(json));
            var results = new List<GemmResult>();
            foreach (var result in GemmBench.Run(shapes, t, r.GetValue(layout)!, r.GetValue(seconds)))
            {
                results.Add(result);
                if (!r.GetValue(json))
                    Console.Error.WriteLine($"{result.M}x{result.K}x{result.N} @{t}t {result.Layout}: {result.Gflops} GFLOP/s ({result.Gflops / machine.FmaPeakGflopsAllThreads:P0} of the FMA peak)");
            }
            Print(machine, results);
            return 0;
        });
        return cmd;
    }

    private static Command CreateOps()
    {
        var threads = CommonOptions.Threads();
        var json = JsonOption();
        var seconds = SecondsOption();
        var cmd = new Command("ops", "Layer norm, softmax and attention (composed ops) on the peer shapes (../shared/peers §5).") { threads, json, seconds };
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var machine = Machine(t, r.GetValue(seconds), r.GetValue(json));
            var results = new List<OpResult>();
            foreach (var result in OpsBench.Run(t, r.GetValue(seconds)))
            {
                results.Add(result);
                if (!r.GetValue(json)) Console.Error.WriteLine($"{result.Op} {result.Config} @{t}t: {result.MedianMs:0.###} ms");
            }
            Print(machine, results);
            return 0;
        });
        return cmd;
    }

    private static Command CreateDecode()
    {
        var threads = CommonOptions.Threads();
        var json = JsonOption();
        var seconds = SecondsOption();
        var cmd = new Command("decode", "KV-cached greedy (batch 1, 64) and beam-5 decoding of model (a) of ../shared/peers §3, ms/sentence.") { threads, json, seconds };
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var machine = Machine(t, r.GetValue(seconds), r.GetValue(json));
            var results = new List<DecodeResult>();
            foreach (var result in DecodeBench.Run(t, r.GetValue(seconds)))
            {
                results.Add(result);
                if (!r.GetValue(json)) Console.Error.WriteLine($"{result.Case} batch {result.Batch} @{t}t: {result.MsPerSentence:0.###} ms/sentence");
            }
            Print(machine, results);
            return 0;
        });
        return cmd;
    }

    private static Command CreateTrainStep()
    {
        var threads = CommonOptions.Threads();
        var json = JsonOption();
        var seconds = SecondsOption();
        var model = new Option<string>("--case") { Description = "seq2seq (model (a) of ../shared/peers §3, 64×32×32 batch), gpt-cpu or gpt-baby (nanoGPT's character GPT, model (b)), imdb (Chollet's IMDB encoder classifier, model (c)), patchtst (the ETTh1 patch Transformer of configs/etth1.json; no peer figure).", DefaultValueFactory = _ => "seq2seq" };
        model.AcceptOnlyFromAmong(["seq2seq", ClassifierTrainStepBench.Case, ForecastTrainStepBench.Case, .. LmTrainStepBench.Presets]);
        var noRecycle = new Option<bool>("--no-recycle") { Description = "Allocate every buffer from the GC instead of recycling them between steps (TensorMemory), to measure what recycling saves." };
        var cmd = new Command("train-step", "One training update of a peer model: ms/step, target tokens/s and peak memory.") { threads, json, seconds, model, noRecycle };
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var machine = Machine(t, r.GetValue(seconds), r.GetValue(json));
            TensorMemory.Enabled = !r.GetValue(noRecycle);
            string which = r.GetValue(model)!;
            var result = which switch
            {
                "seq2seq" => TrainStepBench.Run(t, r.GetValue(seconds)),
                ClassifierTrainStepBench.Case => ClassifierTrainStepBench.Run(t, r.GetValue(seconds)),
                ForecastTrainStepBench.Case => ForecastTrainStepBench.Run(t, r.GetValue(seconds)),
                _ => LmTrainStepBench.Run(which, t, r.GetValue(seconds)),
            };
            if (!r.GetValue(json))
                Console.Error.WriteLine($"train step @{t}t: {result.MsPerStep} ms/step, {result.TargetTokensPerSecond:N0} tokens/s; peak memory {result.PeakMemoryMb:N0} MB");
            Print(machine, [result]);
            return 0;
        });
        return cmd;
    }

    /// <summary>This machine, its FMA peak measured now (briefly when the run is short); printed to stderr unless --json.</summary>
    private static MachineInfo Machine(int threads, double seconds, bool quiet)
    {
        var machine = MachineInfo.Measure(threads, Math.Clamp(seconds / 5, 0.02, 0.2));
        if (!quiet)
        {
            foreach (var (name, value) in machine.Lines()) Console.Error.WriteLine($"{name}: {value}");
        }
        return machine;
    }

    private static void Print<T>(MachineInfo machine, IReadOnlyList<T> results) =>
        Console.WriteLine(JsonSerializer.Serialize(new { machine, results }, Json));

    private static (int, int, int) ParseShape(string s)
    {
        var parts = s.Split('x');
        if (parts.Length != 3 || !int.TryParse(parts[0], out int m) || !int.TryParse(parts[1], out int k) || !int.TryParse(parts[2], out int n) || m <= 0 || k <= 0 || n <= 0)
            throw new UserErrorException($"--shape: expected MxKxN with positive integers (e.g. 1024x1024x1024), got '{s}'");
        return (m, k, n);
    }
}
