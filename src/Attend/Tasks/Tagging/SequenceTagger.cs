// Inference with a trained tagger: sentences of word forms → word ids (lowercased forms) and character ids (forms as
// written) → batches of similar length within a word budget → tag scores per word. A sentence longer than a
// Transformer tagger's positions is read in consecutive pieces. One pass serves prediction (`attend tag`) and scoring
// against gold tags (validation, the test score, `attend eval tagging`): loss, accuracy, per tag and on unseen words.
using Attend.Text.Corpora;
using Attend.Autograd;
using Attend.Models;
using Attend.Serialization;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Tagging;

/// <summary>
/// Word-level scores against gold tags: mean cross-entropy, accuracy, the accuracy on words outside a given set
/// (e.g. unseen in training), and right/total counts per gold tag id (a gold tag the model does not know has id −1:
/// counted wrong, left out of the loss).
/// </summary>
public sealed record TaggingScore(double Loss, double Accuracy, int Words, double UnseenAccuracy, int UnseenWords, IReadOnlyDictionary<int, (int Right, int Total)> PerTag);

/// <summary>A tagger with its word and character vocabularies.</summary>
public sealed class SequenceTagger(Tagger model, ITokenizer words, ITokenizer? characters)
{
    public Tagger Model { get; } = model;
    public ITokenizer Words { get; } = words;
    public ITokenizer? Characters { get; } = characters;

    /// <summary>The character vocabulary's file in a tagger's directory (and run directory).</summary>
    public const string CharactersFile = "chars.json";

    /// <summary>Loads a "tagger" model directory: the model, its word tokenizer and, when the encoder uses them, its characters.</summary>
    public static SequenceTagger Load(string dir)
    {
        var loaded = ModelRegistry.Load<Tagger>(dir);
        var config = loaded.Model.Config;
        var words = loaded.Tokenizer ?? throw new DataFormatException(Path.Combine(dir, "tokenizer.json"), 0, "file not found: a tagger needs its tokenizer");
        string charsPath = Path.Combine(dir, CharactersFile);
        ITokenizer? characters = null;
        if (config.Encoder.UsesCharacters)
        {
            if (!File.Exists(charsPath)) throw new DataFormatException(charsPath, 0, "file not found: this tagger uses character features");
            characters = TokenizerFile.Load(charsPath);
            if (characters.Vocabulary.Count != config.Encoder.CharVocabSize)
                throw new DataFormatException(charsPath, 0, $"{characters.Vocabulary.Count} characters, but the model has char_vocab_size {config.Encoder.CharVocabSize}");
        }
        return new SequenceTagger(loaded.Model, words, characters);
    }

    /// <summary>Writes the model directory, with the character vocabulary when the encoder uses one.</summary>
    public void Save(string dir)
    {
        ModelRegistry.Save(dir, Model, Words);
        if (Characters is not null) TokenizerFile.Save(Characters, Path.Combine(dir, CharactersFile));
    }

    /// <summary>The word id of a form: its lowercased form in the vocabulary, else &lt;unk&gt;.</summary>
    public int WordId(string form) => Words.Vocabulary.IdOf(form.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant());

    /// <summary>The character ids of a form as written (unknown characters are &lt;unk&gt;).</summary>
    public int[] CharIds(string form) => Characters?.Encode(form) ?? [];

    /// <summary>A batch of sentences (each at least one word).</summary>
    public TokenBatch Batch(IReadOnlyList<IReadOnlyList<string>> sentences) => TokenBatch.From(
        sentences.Select(s => s.Select(WordId).ToArray()).ToList(),
        Characters is null ? null : sentences.Select(s => s.Select(CharIds).ToArray()).ToList());

    /// <summary>The best tag id of every word of every sentence, in order.</summary>
    public int[][] Predict(IReadOnlyList<IReadOnlyList<string>> sentences, int maxTokens = 4000)
    {
        var result = sentences.Select(s => new int[s.Count]).ToArray();
        ForEachWord(sentences, maxTokens, (s, i, logits) => result[s][i] = ArgMax(logits));
        return result;
    }

    /// <summary>Scores of the tagger on <paramref name="sentences"/> with gold tag ids; words not in <paramref name="seen"/> count as unseen.</summary>
    public TaggingScore Score(IReadOnlyList<TaggedSentence> sentences, IReadOnlySet<string>? seen = null, int maxTokens = 4000)
    {
        double nll = 0;
        int lossWords = 0, right = 0, total = 0, unseenRight = 0, unseenTotal = 0;
        var perTag = new Dictionary<int, (int Right, int Total)>();
        ForEachWord(sentences.Select(s => (IReadOnlyList<string>)s.Forms).ToList(), maxTokens, (s, i, logits) =>
        {
            int gold = sentences[s].Tags[i];
            bool ok = gold >= 0 && ArgMax(logits) == gold;
            if (gold >= 0)
            {
                nll -= LogSoftmaxAt(logits, gold);
                lossWords++;
            }
            (right, total) = (right + (ok ? 1 : 0), total + 1);
            var (r, t) = perTag.GetValueOrDefault(gold);
            perTag[gold] = (r + (ok ? 1 : 0), t + 1);
            if (seen is null || seen.Contains(sentences[s].Forms[i])) return;
            (unseenRight, unseenTotal) = (unseenRight + (ok ? 1 : 0), unseenTotal + 1);
        });
        return new TaggingScore(nll / Math.Max(1, lossWords), (double)right / Math.Max(1, total), total,
            (double)unseenRight / Math.Max(1, unseenTotal), unseenTotal, perTag);
    }

    // runs the model in eval mode without gradients over every word, in batches of similar length (pieces of at most the
    // Transformer's positions), and hands each word's logits (K) to visit; the model's mode is restored afterwards
    private void ForEachWord(IReadOnlyList<IReadOnlyList<string>> sentences, int maxTokens, Action<int, int, ReadOnlySpan<float>> visit)
    {
        bool training = Model.Training;
        Model.Eval();
        using var _ = GradMode.Off();
        int piece = Model.Config.Encoder.Kind == EncoderKind.Transformer ? Model.Config.Encoder.MaxLength : int.MaxValue;
        var pieces = new List<(int Sentence, int Start, string[] Words)>();
        for (int s = 0; s < sentences.Count; s++)
            for (int start = 0; start < sentences[s].Count; start += piece)
                pieces.Add((s, start, sentences[s].Skip(start).Take(piece).ToArray()));
        var order = Enumerable.Range(0, pieces.Count).OrderBy(i => pieces[i].Words.Length).ThenBy(i => i).ToArray();
        int k = Model.Config.Labels.Length;
        for (int from = 0; from < order.Length;)
        {
            int to = from + 1;
            while (to < order.Length && (long)(to - from + 1) * pieces[order[to]].Words.Length <= maxTokens) to++;
            var chunk = order[from..to];
            var batch = Batch(chunk.Select(i => (IReadOnlyList<string>)pieces[i].Words).ToList());
            var logits = Model.Forward(batch).Data;                             // (B, T, K)
            for (int j = 0; j < chunk.Length; j++)
            {
                var (s, start, words) = pieces[chunk[j]];
                for (int t = 0; t < words.Length; t++) visit(s, start + t, logits.AsSpan((j * batch.Length + t) * k, k));
            }
            from = to;
        }
        Model.Train(training);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    // log softmax(row)[index], max-subtracted
    private static double LogSoftmaxAt(ReadOnlySpan<float> row, int index)
    {
        float max = row[ArgMax(row)];
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        return row[index] - max - Math.Log(sum);
    }
}
