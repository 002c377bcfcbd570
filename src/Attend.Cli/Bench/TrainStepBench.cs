// `attend bench train-step`: one optimizer update of model (a) of ../shared/peers §3 (d 256, 4 heads, 3+3 layers,
// FFN 1024, vocab 8000, dropout 0.1) on a random batch of 64 × 32 source and 32 target tokens, with label-smoothed
// (0.1) cross-entropy and Adam (0.9, 0.98, 1e-9) — the step torch_bench.py's seq2seq-train times: zero grad, forward,
// loss, backward, Adam. Reported in ms/step and target tokens/s with this process's peak memory; bench/run.py runs
// PyTorch's step on the same machine beside it.
using Attend.Models;
using System.Diagnostics;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Cli.Bench;

/// <summary>A training-step measurement (the peer's is taken by bench/run.py on the same machine, never stored here).</summary>
public sealed record TrainStepResult(string Case, int Threads, double MsPerStep, double MinMs, double MaxMs, double TargetTokensPerSecond,
    double PeakMemoryMb, float LossFirst, float LossLast, double GcPauseMsPerStep = 0)
{
    /// <summary>The result of timing <paramref name="t"/> over steps of <paramref name="tokens"/> target tokens, with this process's peak working set.</summary>
    public static TrainStepResult From(string name, int threads, Timing t, double tokens, IReadOnlyList<float> losses, int digits = 1) =>
        new(name, threads, Math.Round(t.MedianMs, digits), Math.Round(t.MinMs, digits), Math.Round(t.MaxMs, digits),
            Math.Round(tokens / (t.MedianMs / 1000)), Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0)),
            losses[0], losses[^1], Math.Round(t.GcPauseMs, 1));
}

/// <summary>Training throughput of model (a).</summary>
public static class TrainStepBench
{
    private const int Batch = 64, SourceLength = 32, TargetLength = 32;

    public static TrainStepResult Run(int threads, double minSeconds)
    {
        var cfg = new Seq2SeqConfig { VocabSize = 8000, DModel = 256, NumHeads = 4, EncoderLayers = 3, DecoderLayers = 3, DimFeedforward = 1024, Dropout = 0.1f };
        var model = new Seq2SeqTransformer(cfg, new Rng(1));
        model.Train();
        var optimizer = new Adam(model.Parameters(), 1e-4f, beta2: 0.98f, eps: 1e-9f);
        var rng = new Rng(2);
        int[] Ids(int n) => Enumerable.Range(0, n).Select(_ => 3 + rng.NextInt(cfg.VocabSize - 3)).ToArray();
        var src = Ids(Batch * SourceLength);
        var tgt = Ids(Batch * (TargetLength + 1));
        var tgtIn = new int[Batch * TargetLength];
        var tgtOut = new int[Batch * TargetLength];
        for (int b = 0; b < Batch; b++)
        {
            tgt[b * (TargetLength + 1)] = cfg.BosId;
            Array.Copy(tgt, b * (TargetLength + 1), tgtIn, b * TargetLength, TargetLength);
            Array.Copy(tgt, b * (TargetLength + 1) + 1, tgtOut, b * TargetLength, TargetLength);
        }
        var (t, losses) = Measure.TrainSteps(optimizer, () => Ops.CrossEntropy(
            model.Forward(src, SourceLength, tgtIn, TargetLength, Batch), tgtOut, ignoreIndex: cfg.PadId, labelSmoothing: 0.1f), minSeconds); // logits (B, T, V)
        double tokens = Batch * TargetLength;
        return TrainStepResult.From("seq2seq_train_step", threads, t, tokens, losses);
    }
}
