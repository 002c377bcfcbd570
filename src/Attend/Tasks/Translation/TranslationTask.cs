// Teacher-forced training of a Transformer translator (Vaswani et al. 2017 §5): the source is its tokens + EOS, the
// decoder reads BOS + target and predicts target + EOS; the loss is label-smoothed cross-entropy over non-padding
// target tokens. Validation reports the per-token NLL (no smoothing), perplexity and sacreBLEU of greedy
// translations of the validation set; BLEU selects the best model.
using Attend.Models;
using Attend.Autograd;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Metrics;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tasks.Translation;

/// <summary>Validation settings: how many sentences to translate for BLEU and how.</summary>
/// <param name="MaxSentences">Validation pairs scored by BLEU (0 = all).</param>
/// <param name="Lowercase">Score lowercased BLEU.</param>
/// <param name="MaxLength">Most output tokens per sentence.</param>
/// <param name="Metric">The metric that selects the best model: "bleu" or "exact_match" (fraction of outputs equal to the reference).</param>
public sealed record TranslationValidation(int MaxSentences = 0, bool Lowercase = false, int MaxLength = 128, string Metric = "bleu")
{
    /// <summary>The problem with these settings, or null.</summary>
    public string? Problem() =>
        MaxSentences < 0 ? $"valid_sentences must not be negative, got {MaxSentences}"
        : MaxLength < 1 ? $"valid_max_len must be at least 1, got {MaxLength}"
        : Metric is not ("bleu" or "exact_match") ? $"metric must be \"bleu\" or \"exact_match\", got \"{Metric}\""
        : null;
}

/// <summary>Translation as an <see cref="ITrainingTask"/>.</summary>
public sealed class TranslationTask : ITrainingTask
{
    private readonly Seq2SeqModel _model;
    private readonly ITokenizer _tokenizer;
    private readonly List<Example> _train, _valid;
    private readonly List<string> _validReferences;
    private readonly TokenBatcher _batcher;
    private readonly float _labelSmoothing;
    private readonly int _maxTokens;
    private readonly TranslationValidation _validation;

    /// <param name="train">Training pairs as ids (source with EOS, target without BOS/EOS).</param>
    /// <param name="valid">Validation pairs as ids, and <paramref name="validReferences"/> their target texts.</param>
    public TranslationTask(Seq2SeqModel model, ITokenizer tokenizer, IReadOnlyList<Example> train, IReadOnlyList<Example> valid,
        IReadOnlyList<string> validReferences, int maxTokens, int seed, float labelSmoothing, TranslationValidation? validation = null)
    {
        if (valid.Count != validReferences.Count) throw new ArgumentException($"{valid.Count} validation pairs and {validReferences.Count} references");
        if (train.Count == 0) throw new ArgumentException("the training set is empty");
        _model = model;
        _tokenizer = tokenizer;
        _train = [.. train];
        _valid = [.. valid];
        _validReferences = [.. validReferences];
        _maxTokens = maxTokens;
        _batcher = new TokenBatcher(_train, maxTokens, seed);
        _labelSmoothing = labelSmoothing;
        _validation = validation ?? new TranslationValidation();
        if (_validation.Problem() is { } problem) throw new ArgumentException("validation: " + problem);
    }

    public Module Model => _model;

    /// <summary>The translator of the current weights.</summary>
    public Translator Translator => new(_model, _tokenizer);

    public IReadOnlyList<Batch> Batches(int epoch) => _batcher.Epoch(epoch);

    public (Tensor Loss, int Tokens) Loss(Batch batch) => Loss(batch, _train, _labelSmoothing);

    private (Tensor Loss, int Tokens) Loss(Batch batch, List<Example> data, float smoothing)
    {
        var m = _model;
        var examples = batch.Indices.Select(i => data[i]).ToList();
        var (src, _, s, _) = Padding.Pad(examples.Select(e => e.Source).ToList(), m.PadId);                     // (B, S)
        var (tgtIn, _, t, _) = Padding.Pad(examples.Select(e => e.Target).ToList(), m.PadId, prefix: m.BosId); // (B, T)
        var (tgtOut, _, _, _) = Padding.Pad(examples.Select(e => e.Target).ToList(), m.PadId, suffix: m.EosId); // (B, T)
        var logits = _model.Forward(src, s, tgtIn, t, examples.Count);                                            // (B, T, V)
        int tokens = tgtOut.Count(id => id != m.PadId);
        return (Ops.CrossEntropy(logits, tgtOut, ignoreIndex: m.PadId, labelSmoothing: smoothing), tokens);
    }

    public Validation Validate()
    {
        double nll = 0;
        long tokens = 0;
        var validBatcher = new TokenBatcher(_valid, _maxTokens, seed: 0);
        foreach (var batch in validBatcher.Epoch(0, shuffle: false))
        {
            var (loss, n) = Loss(batch, _valid, 0f);
            nll += loss.Data[0] * (double)n;
            tokens += n;
        }
        double meanNll = tokens > 0 ? nll / tokens : double.NaN;
        var metrics = new Dictionary<string, double> { ["ppl"] = Math.Exp(meanNll) };
        int count = _validation.MaxSentences > 0 ? Math.Min(_validation.MaxSentences, _valid.Count) : _valid.Count;
        double score = -meanNll;
        if (count > 0)
        {
            var outputs = Translator.TranslateIds(_valid.Take(count).Select(e => e.Source).ToList(), maxLength: _validation.MaxLength);
            var hyps = outputs.Select(ids => _tokenizer.Decode(ids)).ToList();
            var refs = _validReferences.Take(count).ToList();
            metrics["bleu"] = Bleu.Corpus(hyps, [refs], lowercase: _validation.Lowercase).Score;
            metrics["exact_match"] = ExactMatch(hyps, refs);
            score = metrics[_validation.Metric];
        }
        return new Validation(meanNll, metrics, score);
    }

    /// <summary>Fraction of hypotheses equal to their reference (after trimming surrounding white space).</summary>
    public static double ExactMatch(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references) =>
        hypotheses.Count == 0 ? 0 : hypotheses.Zip(references).Count(p => p.First.Trim() == p.Second.Trim()) / (double)hypotheses.Count;

    public void Export(string directory) => ModelRegistry.Save(directory, _model, _tokenizer);
}
