// `attend bench train-step --case gpt-cpu|gpt-baby`: one training iteration of nanoGPT's character GPT as
// ../shared/peers/torch_bench.py gpt-train times it — forward, cross-entropy, backward, clip to norm 1, AdamW (lr 1e-3,
// betas 0.9/0.99, weight decay 0.1 on matrices only) — on random windows of a random 65-symbol stream.
// Presets: "cpu" (nanoGPT README's CPU run: L4 H4 C128 T64 B12, no dropout) and "baby" (train_shakespeare_char.py:
// L6 H6 C384 T256 B64, dropout 0.2).
using System.Diagnostics;
using Attend.Autograd;
using Attend.Models;
using Attend.Tasks.LanguageModeling;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Cli.Bench;

/// <summary>nanoGPT training throughput against PyTorch.</summary>
public static class LmTrainStepBench
{
    public static readonly string[] Presets = ["gpt-cpu", "gpt-baby"];

    public static TrainStepResult Run(string preset, int threads, double minSeconds)
    {
        bool cpu = preset == "gpt-cpu";
        var cfg = cpu
            ? new DecoderLmConfig { VocabSize = 65, Context = 64, DModel = 128, NumHeads = 4, NumLayers = 4, Dropout = 0f }
            : new DecoderLmConfig { VocabSize = 65, Context = 256, DModel = 384, NumHeads = 6, NumLayers = 6, Dropout = 0.2f };
        int batch = cpu ? 12 : 64;
        var model = new DecoderLm(cfg, new Rng(1));
        var rng = new Rng(2);
        var stream = Enumerable.Range(0, 200_000).Select(_ => rng.NextInt(cfg.VocabSize)).ToArray();
        var task = new LanguageModelTask(model, null, stream, stream, batch, cfg.Context, seed: 3, batchesPerEpoch: 1000, validBatches: 1);
        var optimizer = new Adam(model.Parameters(), 1e-3f, 0.9f, 0.99f, 1e-8f, 0.1f, decoupled: true) { DecayMask = model.DecayMask() };
        var batches = task.Batches(0);
        int next = 0;
        var (t, losses) = Measure.TrainSteps(optimizer, () => task.Loss(batches[next++ % batches.Count]).Loss, minSeconds, warmup: 3,
            afterBackward: () => GradientClipping.ClipGradNorm(model.Parameters(), 1f));
        double tokens = batch * cfg.Context;
        return TrainStepResult.From("gpt_train_iter_" + (cpu ? "cpu" : "baby"), threads, t, tokens, losses, digits: 2);
    }
}
