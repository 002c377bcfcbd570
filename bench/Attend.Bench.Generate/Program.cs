// Attend's side of bench/generate_peers.py: the shapes of issue 26 with random weights, KV-cached, the median of timed
// repetitions after a warm-up, in one process. Prints one JSON document.
//   gpt2_greedy   GPT-2 small (12 layers, 768 wide, 12 heads, 50,257 tokens): a 16-token prompt, then 32 tokens by
//                 argmax, batch 1 and 8 (LmKvCache over the batch)
//   marian_beam4  opus-mt shape (6 + 6 layers, 512 wide, 8 heads, FFN 2048, 58,101 tokens, SiLU): a 24-token source,
//                 32 new tokens with Hugging Face's beam search (EOS and pad suppressed so that every run makes 32),
//                 batch 1 and 16
//   dotnet run -c Release --project bench/Attend.Bench.Generate -- [--threads 2] [--reps 5]
using System.Diagnostics;
using System.Text.Json;
using Attend;
using Attend.Decoding;
using Attend.Kernels;
using Attend.Models;
using Attend.Nn;

int threads = Arg("--threads", 2), reps = Arg("--reps", 5);
const int Prompt = 16, NewTokens = 32, Source = 24;
Parallelism.Degree = threads;
var results = new List<object>();

var gpt2 = new DecoderLm(new DecoderLmConfig { VocabSize = 50257, Context = 1024, DModel = 768, NumHeads = 12, NumLayers = 12, Dropout = 0f, Activation = Activation.GeluTanh }, new Rng(1));
gpt2.Eval();
foreach (int batch in new[] { 1, 8 })
{
    var rng = new Random(batch);
    var prompt = Enumerable.Range(0, batch * Prompt).Select(_ => rng.Next(50257)).ToArray();
    double ms = Median(() =>
    {
        var cache = new LmKvCache(gpt2, batch, Prompt + NewTokens);
        var logits = cache.Feed(prompt, Prompt);
        for (int step = 0; step < NewTokens; step++)
        {
            var next = new int[batch];
            for (int b = 0; b < batch; b++) next[b] = Sampling.ArgMax(logits.Data.AsSpan(b * 50257, 50257));
            if (step + 1 < NewTokens) logits = cache.Feed(next, 1);
        }
    });
    Add("gpt2_greedy", batch, ms);
}

var marian = new Seq2SeqTransformer(new Seq2SeqConfig
{
    VocabSize = 58101, DModel = 512, NumHeads = 8, EncoderLayers = 6, DecoderLayers = 6, DimFeedforward = 2048, Dropout = 0f, Activation = Activation.Silu,
    PadId = 58100, BosId = 58100, EosId = 0, MaxPositions = 512, ScaleEmbedding = true, PositionsLayout = SinusoidLayout.SinesThenCosines, FinalNorms = false,
}, new Rng(2));
marian.Eval();
foreach (int batch in new[] { 1, 16 })
{
    var rng = new Random(100 + batch);
    var sources = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, Source - 1).Select(_ => 1 + rng.Next(58000)).Append(0).ToArray()).ToList();
    double ms = Median(() => HuggingFaceBeam.Decode(marian, sources, 4, 1f, NewTokens, [0, 58100]));
    Add("marian_beam4", batch, ms);
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    machine = new { cpu = Environment.GetEnvironmentVariable("BENCH_CPU") ?? "", cores = Environment.ProcessorCount, vector_bits = System.Numerics.Vector<byte>.Count * 8, threads },
    results,
}, new JsonSerializerOptions { WriteIndented = true }));

void Add(string name, int batch, double ms)
{
    results.Add(new { @case = name, batch, threads, ms = Math.Round(ms, 1), new_tokens_per_s = Math.Round(batch * NewTokens / ms * 1000, 1),
        peak_working_set_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6) });
    Console.Error.WriteLine($"{name,-14} batch {batch,2}: {ms,8:F1} ms, {batch * NewTokens / ms * 1000,7:F1} new tokens/s");
}

double Median(Action run)
{
    run();                                                                                        // warm-up
    var times = new List<double>();
    for (int i = 0; i < reps; i++)
    {
        var sw = Stopwatch.StartNew();
        run();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
