// `attend bench decode`: KV-cached decoding on model (a) of ../shared/peers §3 (d 256, 4 heads, 3+3 layers, FFN 1024,
// vocab 8000, 32 source tokens, exactly 32 output tokens) — greedy at batch 1 and 64, beam 5 at batch 1 and 16 — in
// ms per sentence beside PyTorch's cached decoder. The model is random; exactly 32 steps are forced (EOS is not
// allowed to end a hypothesis early), which is the work torch_bench.py seq2seq-infer measures (bench/run.py runs it).
using Attend.Models;
using Attend.Decoding;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Cli.Bench;

/// <summary>One decoding measurement, in ms per sentence.</summary>
public sealed record DecodeResult(string Case, int Batch, int Threads, double MsPerSentence, double MinMs, double MaxMs);

/// <summary>Decoding throughput of model (a).</summary>
public static class DecodeBench
{
    private const int SourceLength = 32, OutputLength = 32;

    public static IEnumerable<DecodeResult> Run(int threads, double minSeconds)
    {
        var cfg = new Seq2SeqConfig { VocabSize = 8000, DModel = 256, NumHeads = 4, EncoderLayers = 3, DecoderLayers = 3, DimFeedforward = 1024, Dropout = 0f };
        var model = new Seq2SeqTransformer(cfg, new Rng(1));
        model.Eval();
        var rng = new Rng(2);
        int[] Source() => Enumerable.Range(0, SourceLength).Select(_ => 3 + rng.NextInt(cfg.VocabSize - 3)).ToArray();

        var one = Source();
        var t1 = Measure.Run(() => GreedySteps(model, [one]), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult("greedy_cached", 1, threads, Round(t1.MedianMs), Round(t1.MinMs), Round(t1.MaxMs));

        var batch = Enumerable.Range(0, 64).Select(_ => Source()).ToArray();
        var t64 = Measure.Run(() => GreedySteps(model, batch), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult("greedy_cached", 64, threads, Round(t64.MedianMs / 64), Round(t64.MinMs / 64), Round(t64.MaxMs / 64));

        var options = new DecodeOptions(MaxLength: OutputLength, BeamWidth: 5, MinLength: OutputLength);
        var tb = Measure.Run(() => Decoders.Beam(model, one, options), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult("beam5_cached", 1, threads, Round(tb.MedianMs), Round(tb.MinMs), Round(tb.MaxMs));

        // beam 5 over 16 sources at once (BatchedBeam; no peer figure: PyTorch's benchmark decodes one source)
        var sixteen = batch.Take(16).ToList();
        var tb16 = Measure.Run(() => BatchedBeam.Decode(model, sixteen, options), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult("beam5_cached", 16, threads, Round(tb16.MedianMs / 16), Round(tb16.MinMs / 16), Round(tb16.MaxMs / 16));

        // long outputs, where the cost of the cache itself shows (no peer: for before/after comparisons of the cache)
        var longOptions = new DecodeOptions(MaxLength: LongOutput, BeamWidth: 5, MinLength: LongOutput);
        var tl = Measure.Run(() => GreedySteps(model, [one], LongOutput), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult($"greedy_cached_{LongOutput}", 1, threads, Round(tl.MedianMs), Round(tl.MinMs), Round(tl.MaxMs));
        var tlb = Measure.Run(() => Decoders.Beam(model, one, longOptions), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult($"beam5_cached_{LongOutput}", 1, threads, Round(tlb.MedianMs), Round(tlb.MinMs), Round(tlb.MaxMs));
        // nanoGPT's CPU model (context 256, d 384, 6 layers, 6 heads) generating 255 tokens after a 1-token prompt
        var lm = new DecoderLm(new DecoderLmConfig { VocabSize = 65, Context = 256, DModel = 384, NumHeads = 6, NumLayers = 6, Dropout = 0f }, new Rng(3));
        lm.Eval();
        var greedy = new SamplingOptions(1f, 1, 1f);
        var tg = Measure.Run(() => new LmGenerator(lm).Generate([1], 255, greedy, new Rng(4)).Count(), warmup: 1, minRepeats: 3, minSeconds: minSeconds);
        yield return new DecodeResult("lm_generate_255", 1, threads, Round(tg.MedianMs), Round(tg.MinMs), Round(tg.MaxMs));
    }

    private const int LongOutput = 256;

    /// <summary>Encodes the batch and runs exactly <paramref name="steps"/> cached greedy steps.</summary>
    private static void GreedySteps(Seq2SeqTransformer model, int[][] sources, int steps = OutputLength)
    {
        using var _ = Autograd.GradMode.Off();
        int b = sources.Length;
        var src = sources.SelectMany(s => s).ToArray();
        var memory = model.Encode(src, b, SourceLength);
        var decoder = new KvCacheDecoder(model, memory, null, steps);
        var tokens = Enumerable.Repeat(model.Config.BosId, b).ToArray();
        int v = model.Config.VocabSize;
        for (int step = 0; step < steps; step++)
        {
            var logits = decoder.Step(tokens).Data;
            for (int i = 0; i < b; i++) tokens[i] = Sampling.ArgMax(logits.AsSpan(i * v, v));
        }
    }

    private static double Round(double x) => Math.Round(x, 3);
}
