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

    /// <summary>
    /// A bench subcommand with --threads, --json and --seconds: takes the cases of <paramref name="run"/> (parse result,
    /// threads, seconds → lazily measured results; a bad option fails here, before anything is printed), heads the
    /// output with the machine, measures the cases, prints each result as
    /// <paramref name="line"/> to stderr as it comes (unless --json), then the JSON.
    /// </summary>
    private static Command Bench<T>(string name, string description, Func<ParseResult, int, double, IEnumerable<T>> run,
        Func<T, int, MachineInfo, string> line, params Option[] extra)
    {
        var threads = CommonOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print only the JSON array." };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds per case.", DefaultValueFactory = _ => 1.0 };
        var cmd = new Command(name, description) { threads, json, seconds };
        foreach (var option in extra) cmd.Add(option);
        cmd.SetAction(r =>
        {
            int t = CommonOptions.ApplyThreads(r.GetValue(threads));
            var cases = run(r, t, r.GetValue(seconds));
            var machine = Machine(t, r.GetValue(seconds), r.GetValue(json));
            var results = new List<T>();
            foreach (var result in cases)
            {
                results.Add(result);
                if (!r.GetValue(json)) Console.Error.WriteLine(line(result, t, machine));
            }
            Console.WriteLine(JsonSerializer.Serialize(new { machine, results }, Json));
            return 0;
        });
        return cmd;
    }

    private static Command CreateGemm()
    {
        var layout = new Option<string>("--layout") { Description = "Operand layout: nn, nt or tn.", DefaultValueFactory = _ => "nn" };
        layout.AcceptOnlyFromAmong("nn", "nt", "tn");
        var shape = new Option<string?>("--shape") { Description = "One shape MxKxN instead of the peer shapes." };
        return Bench("gemm", "GFLOP/s of C = A·B on the peer shapes (../shared/peers/results.md §2).",
            (r, t, seconds) => GemmBench.Run(r.GetValue(shape) is { } s ? [ParseShape(s)] : GemmBench.PeerShapes, t, r.GetValue(layout)!, seconds),
            (g, t, m) => $"{g.M}x{g.K}x{g.N} @{t}t {g.Layout}: {g.Gflops} GFLOP/s ({g.Gflops / m.FmaPeakGflopsAllThreads:P0} of the FMA peak)", layout, shape);
    }

    private static Command CreateOps() => Bench("ops", "Layer norm, softmax and attention (composed ops) on the peer shapes (../shared/peers §5).",
        (_, t, seconds) => OpsBench.Run(t, seconds), (o, t, _) => $"{o.Op} {o.Config} @{t}t: {o.MedianMs:0.###} ms");

    private static Command CreateDecode() => Bench("decode",
        "KV-cached greedy (batch 1, 64) and beam-5 decoding of model (a) of ../shared/peers §3, long outputs and LM generation, ms/sentence.",
        (_, t, seconds) => DecodeBench.Run(t, seconds), (d, t, _) => $"{d.Case} batch {d.Batch} @{t}t: {d.MsPerSentence:0.###} ms/sentence");

    private static Command CreateTrainStep()
    {
        var model = new Option<string>("--case") { Description = "seq2seq (model (a) of ../shared/peers §3, 64×32×32 batch), gpt-cpu or gpt-baby (nanoGPT's character GPT, model (b)), imdb (Chollet's IMDB encoder classifier, model (c)), patchtst (the ETTh1 patch Transformer of configs/etth1.json; no peer figure).", DefaultValueFactory = _ => "seq2seq" };
        model.AcceptOnlyFromAmong(["seq2seq", ClassifierTrainStepBench.Case, ForecastTrainStepBench.Case, .. LmTrainStepBench.Presets]);
        var noRecycle = new Option<bool>("--no-recycle") { Description = "Allocate every buffer from the GC instead of recycling them between steps (TensorMemory), to measure what recycling saves." };
        return Bench<TrainStepResult>("train-step", "One training update of a peer model: ms/step, target tokens/s and peak memory.", (r, t, seconds) => new[] { r.GetValue(model)! }.Select(which =>
        {
            TensorMemory.Enabled = !r.GetValue(noRecycle);
            return which switch
            {
                "seq2seq" => TrainStepBench.Run(t, seconds),
                ClassifierTrainStepBench.Case => ClassifierTrainStepBench.Run(t, seconds),
                ForecastTrainStepBench.Case => ForecastTrainStepBench.Run(t, seconds),
                _ => LmTrainStepBench.Run(which, t, seconds),
            };
        }), (s, t, _) => $"train step @{t}t: {s.MsPerStep} ms/step, {s.TargetTokensPerSecond:N0} tokens/s; peak memory {s.PeakMemoryMb:N0} MB", model, noRecycle);
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

    private static (int, int, int) ParseShape(string s)
    {
        var parts = s.Split('x');
        if (parts.Length != 3 || !int.TryParse(parts[0], out int m) || !int.TryParse(parts[1], out int k) || !int.TryParse(parts[2], out int n) || m <= 0 || k <= 0 || n <= 0)
            throw new UserErrorException($"--shape: expected MxKxN with positive integers (e.g. 1024x1024x1024), got '{s}'");
        return (m, k, n);
    }
}
