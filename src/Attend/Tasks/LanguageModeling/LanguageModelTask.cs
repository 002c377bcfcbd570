// Next-token prediction on one long token stream, as nanoGPT trains: a batch is B windows of T + 1 tokens at random
// offsets of the training stream (x = window[0..T), y = window[1..T]); the loss is the mean cross-entropy over all
// B·T positions. An "epoch" is a fixed number of such batches, drawn from (seed, epoch), so a resumed run rebuilds it.
// Validation is nanoGPT's estimate_loss: the mean loss over a fixed set of random validation windows (the same every
// time, so validations compare), reported with perplexity and bits per token.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.LanguageModeling;

/// <summary>Language modelling as an <see cref="ITrainingTask"/>.</summary>
public sealed class LanguageModelTask : ITrainingTask
{
    private readonly DecoderLm _model;
    private readonly ITokenizer? _tokenizer;
    private readonly int[] _train, _valid;
    private readonly int _batchSize, _length, _batchesPerEpoch, _seed;
    private readonly Batch[] _validBatches;

    /// <param name="train">The training stream of token ids; <paramref name="valid"/> the validation stream.</param>
    /// <param name="length">Tokens per window (at most the model's context).</param>
    /// <param name="batchesPerEpoch">Batches in one epoch (0 = one pass's worth: train tokens / (B·T)).</param>
    /// <param name="validBatches">Batches of validation windows averaged by <see cref="Validate"/>.</param>
    public LanguageModelTask(DecoderLm model, ITokenizer? tokenizer, int[] train, int[] valid, int batchSize, int length, int seed,
        int batchesPerEpoch = 0, int validBatches = 20)
    {
        if (length < 1 || length > model.Config.Context) throw new ArgumentException($"window length must be in [1, {model.Config.Context}], got {length}");
        if (batchSize < 1) throw new ArgumentException($"batch size must be positive, got {batchSize}");
        if (train.Length <= length + 1) throw new ArgumentException($"the training stream has {train.Length} tokens: too few for windows of {length + 1}");
        if (valid.Length <= length + 1) throw new ArgumentException($"the validation stream has {valid.Length} tokens: too few for windows of {length + 1}");
        if (validBatches < 1) throw new ArgumentException($"need at least one validation batch, got {validBatches}");
        _model = model;
        _tokenizer = tokenizer;
        _train = train;
        _valid = valid;
        _batchSize = batchSize;
        _length = length;
        _seed = seed;
        _batchesPerEpoch = batchesPerEpoch > 0 ? batchesPerEpoch : Math.Max(1, train.Length / (batchSize * length));
        var validRng = new Rng(Rng.Derive((ulong)seed, -1));
        _validBatches = Enumerable.Range(0, validBatches).Select(_ => RandomBatch(validRng, valid.Length)).ToArray();
    }

    public Module Model => _model;

    /// <summary>Tokens per window.</summary>
    public int Length => _length;

    public IReadOnlyList<Batch> Batches(int epoch)
    {
        var rng = new Rng(Rng.Derive((ulong)_seed, epoch));
        return Enumerable.Range(0, _batchesPerEpoch).Select(_ => RandomBatch(rng, _train.Length)).ToArray();
    }

    public (Tensor Loss, int Tokens) Loss(Batch batch) => Loss(batch, _train);

    public Validation Validate()
    {
        using var _ = GradMode.Off();
        double total = 0;
        foreach (var batch in _validBatches) total += Loss(batch, _valid).Loss.Data[0];
        double loss = total / _validBatches.Length;
        var metrics = new Dictionary<string, double>
        {
            ["ppl"] = Math.Exp(loss),
            ["bits_per_token"] = loss / Math.Log(2),
        };
        return new Validation(loss, metrics, -loss);
    }

    public void Export(string directory) => ModelRegistry.Save(directory, _model, _tokenizer);

    /// <summary>The windows (x, y) of a batch: inputs (B·T) and next-token targets (B·T).</summary>
    public static (int[] Inputs, int[] Targets) Windows(int[] stream, int[] offsets, int length)
    {
        var x = new int[offsets.Length * length];
        var y = new int[offsets.Length * length];
        for (int b = 0; b < offsets.Length; b++)
        {
            Array.Copy(stream, offsets[b], x, b * length, length);
            Array.Copy(stream, offsets[b] + 1, y, b * length, length);
        }
        return (x, y);
    }

    private (Tensor Loss, int Tokens) Loss(Batch batch, int[] stream)
    {
        var (x, y) = Windows(stream, batch.Indices, _length);
        var logits = _model.Forward(x, batch.Indices.Length, _length);   // (B, T, V)
        return (Ops.CrossEntropy(logits, y), y.Length);
    }

    // B offsets in [0, n − T − 1], so that every window has T + 1 tokens (torch.randint(len(data) - block_size))
    private Batch RandomBatch(Rng rng, int n)
    {
        var offsets = new int[_batchSize];
        for (int i = 0; i < offsets.Length; i++) offsets[i] = rng.NextInt(n - _length);
        return new Batch(offsets, _length, 0);
    }
}
