// `attend bench ops`: layer norm, softmax and scaled dot-product attention (composed from Ops, forward and
// forward+backward) on the shapes of ../shared/peers/torch_bench.py micro; bench/run.py runs PyTorch's beside them.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Cli.Bench;

/// <summary>One op measurement, named as torch_bench.py micro names it.</summary>
public sealed record OpResult(string Op, string Config, int Threads, double MedianMs, double MinMs, double MaxMs);

/// <summary>Benchmarks the op-level cases the peers measured.</summary>
public static class OpsBench
{
    /// <summary>Runs every case at the current <see cref="Kernels.Parallelism.Degree"/>.</summary>
    public static IEnumerable<OpResult> Run(int threads, double minSeconds)
    {
        var rng = new Rng(7);
        foreach (int rows in new[] { 2048, 19200 })
        {
            var x = Tensor.Uniform(rng, -1f, 1f, rows, 256);
            var w = Tensor.Uniform(rng, 0.5f, 1.5f, 256);
            var b = Tensor.Uniform(rng, -1f, 1f, 256);
            yield return Case("layernorm_fwd", $"({rows},256)", threads, minSeconds, () => { using var _ = GradMode.Off(); Ops.LayerNorm(x, w, b); });
            yield return Case("layernorm_fwd_bwd", $"({rows},256)", threads, minSeconds, () => Backward(() => Ops.LayerNorm(x, w, b), x, w, b));
        }
        var s = Tensor.Uniform(rng, -3f, 3f, 8192, 32);
        yield return Case("softmax_fwd", "(8192,32)", threads, minSeconds, () => { using var _ = GradMode.Off(); Ops.Softmax(s); });
        yield return Case("softmax_fwd_bwd", "(8192,32)", threads, minSeconds, () => Backward(() => Ops.Softmax(s), s));
        foreach (var (bsz, h, t, d) in new[] { (64, 4, 32, 64), (32, 2, 600, 128) })
        {
            var q = Tensor.Uniform(rng, -1f, 1f, bsz, h, t, d);
            var k = Tensor.Uniform(rng, -1f, 1f, bsz, h, t, d);
            var v = Tensor.Uniform(rng, -1f, 1f, bsz, h, t, d);
            foreach (bool causal in new[] { false, true })
            {
                string config = $"B{bsz} H{h} T{t} dk{d} causal{(causal ? 1 : 0)}";
                yield return Case("attention_fwd", config, threads, minSeconds, () => { using var _ = GradMode.Off(); Attention(q, k, v, causal); });
                yield return Case("attention_fwd_bwd", config, threads, minSeconds, () => Backward(() => Attention(q, k, v, causal), q, k, v));
            }
        }
    }

    /// <summary>softmax(q·kᵀ/√d [causal −inf]) · v as the models compute it (Attention.ScaledDotProduct). q, k, v: (B, H, T, D) → (B, H, T, D).</summary>
    private static Tensor Attention(Tensor q, Tensor k, Tensor v, bool causal) =>
        Nn.Attention.ScaledDotProduct(q, k, v, causal ? Mask.Causal(q.Shape[-2]) : null).Context;

    private static void Backward(Func<Tensor> forward, params Tensor[] inputs)
    {
        foreach (var t in inputs)
        {
            t.RequiresGrad = true;
            t.ZeroGrad();
        }
        var y = forward();
        y.Backward(new Tensor(y.Data, y.Shape));
    }

    private static OpResult Case(string op, string config, int threads, double minSeconds, Action action)
    {
        // one recycling scope per run, as the trainer opens one per step: results and intermediate gradients come from
        // the step's pool (PyTorch's caching allocator does the same for the peer)
        var t = Measure.Run(() => { using var recycling = TensorMemory.Recycle(); action(); }, warmup: 2, minRepeats: 5, minSeconds: minSeconds);
        return new OpResult(op, config, threads, Math.Round(t.MedianMs, 4), Math.Round(t.MinMs, 4), Math.Round(t.MaxMs, 4));
    }
}
