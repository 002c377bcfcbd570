// Autoregressive sampling from a decoder-only language model, as nanoGPT's generate(): the model sees the last
// `context` tokens, the next token is drawn from its logits (temperature, top-k, top-p; a seed reproduces the draw)
// and appended. Tokens are yielded as they are produced, so callers can stream them. With the KV cache each token costs
// one position; once the sequence outgrows the context the window slides, which changes every position, so the window
// is recomputed — exactly what the uncached path computes, and the two produce identical tokens (tested).
using Attend.Autograd;
using Attend.Models;
using Attend.Tensors;

namespace Attend.Decoding;

/// <summary>Samples continuations of a prompt.</summary>
public sealed class LmGenerator(DecoderLm model)
{
    /// <summary>
    /// Yields <paramref name="maxTokens"/> tokens continuing <paramref name="prompt"/> (non-empty), drawn with
    /// <paramref name="options"/> from <paramref name="rng"/>; <paramref name="useCache"/> false recomputes every step.
    /// <paramref name="stop"/> (optional) ends generation after yielding that token.
    /// </summary>
    public IEnumerable<int> Generate(int[] prompt, int maxTokens, SamplingOptions options, Rng rng, bool useCache = true, int? stop = null)
    {
        if (prompt.Length == 0) throw new ArgumentException("the prompt must contain at least one token");
        if (maxTokens < 0) throw new ArgumentException($"max tokens must not be negative, got {maxTokens}");
        if (options.Problem() is { } problem) throw new ArgumentException(problem);
        if (prompt.Any(id => id < 0 || id >= model.Config.VocabSize)) throw new ArgumentException($"prompt ids must be in [0, {model.Config.VocabSize})");
        return Run(prompt, maxTokens, options, rng, useCache, stop);
    }

    private IEnumerable<int> Run(int[] prompt, int maxTokens, SamplingOptions options, Rng rng, bool useCache, int? stop)
    {
        var sequence = new List<int>(prompt);
        var cache = new LmKvCache(model, 1, prompt.Length + maxTokens);
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            for (int produced = 0; produced < maxTokens; produced++)
            {
                var logits = useCache ? CachedLogits(cache, sequence) : FullLogits(sequence);
                int next = Sampling.Sample(logits, options, rng);
                sequence.Add(next);
                yield return next;
                if (next == stop) yield break;
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    // the cache holds sequence[start..start+Length); feed what is missing, or refill the window when it slid
    private float[] CachedLogits(LmKvCache cache, List<int> sequence)
    {
        int context = model.Config.Context;
        int start = Math.Max(0, sequence.Count - context);
        if (start > 0) cache.Clear(); // the window slid: every position changed
        int fed = start + cache.Length;
        var fresh = sequence.GetRange(fed, sequence.Count - fed).ToArray();
        return cache.Feed(fresh, fresh.Length).Data;
    }

    private float[] FullLogits(List<int> sequence)
    {
        using var _ = GradMode.Off();
        int start = Math.Max(0, sequence.Count - model.Config.Context);
        var window = sequence.GetRange(start, sequence.Count - start).ToArray();
        var logits = model.Forward(window, 1, window.Length);                        // (1, T, V)
        return Ops.Slice(logits, 1, window.Length - 1, 1).Data;                       // (1, 1, V)
    }
}
