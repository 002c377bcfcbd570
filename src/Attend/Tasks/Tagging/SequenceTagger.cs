// Inference with a trained tagger: sentences of word forms → word ids (lowercased forms) and character ids (forms as
// written) → batches of similar length within a word budget → the best tag per word. A sentence longer than a
// Transformer tagger's positions is tagged in consecutive pieces. Used by validation, the test score and `attend tag`.
using Attend.Autograd;
using Attend.Models;
using Attend.Serialization;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Tagging;

/// <summary>A tagger with its word and character vocabularies.</summary>
public sealed class SequenceTagger(Tagger model, ITokenizer words, ITokenizer? characters)
{
    public Tagger Model { get; } = model;
    public ITokenizer Words { get; } = words;
    public ITokenizer? Characters { get; } = characters;

    /// <summary>Loads a "tagger" model directory.</summary>
    public static SequenceTagger Load(string dir)
    {
        var loaded = ModelDirectory.LoadTagger(dir);
        return new SequenceTagger(loaded.Model, loaded.Tokenizer, loaded.Characters);
    }

    /// <summary>The word id of a form: its lowercased form in the vocabulary, else &lt;unk&gt;.</summary>
    public int WordId(string form) => Words.Vocabulary.IdOf(form.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant());

    /// <summary>The character ids of a form as written (unknown characters are &lt;unk&gt;).</summary>
    public int[] CharIds(string form) => Characters?.Encode(form) ?? [];

    /// <summary>A batch of sentences (each at least one word).</summary>
    public TokenBatch Batch(IReadOnlyList<IReadOnlyList<string>> sentences) => TokenBatch.From(
        sentences.Select(s => s.Select(WordId).ToArray()).ToList(),
        Characters is null ? null : sentences.Select(s => s.Select(CharIds).ToArray()).ToList());

    /// <summary>The best tag id of every word of every sentence, in order (eval mode, no gradients; the mode is restored).</summary>
    public int[][] Predict(IReadOnlyList<IReadOnlyList<string>> sentences, int maxTokens = 4000)
    {
        bool training = Model.Training;
        Model.Eval();
        using var _ = GradMode.Off();
        int piece = Model.Config.Encoder.Kind == "transformer" ? Model.Config.Encoder.MaxLength : int.MaxValue;
        var pieces = new List<(int Sentence, int Start, string[] Words)>();
        for (int s = 0; s < sentences.Count; s++)
        {
            if (sentences[s].Count == 0) continue;
            for (int start = 0; start < sentences[s].Count; start += piece)
                pieces.Add((s, start, sentences[s].Skip(start).Take(piece).ToArray()));
        }
        var result = sentences.Select(s => new int[s.Count]).ToArray();
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
                for (int t = 0; t < words.Length; t++)
                {
                    var row = logits.AsSpan((j * batch.Length + t) * k, k);
                    int best = 0;
                    for (int c = 1; c < k; c++) if (row[c] > row[best]) best = c;
                    result[s][start + t] = best;
                }
            }
            from = to;
        }
        Model.Train(training);
        return result;
    }

    /// <summary>The share of words whose predicted tag equals <paramref name="gold"/>.</summary>
    public double Accuracy(IReadOnlyList<IReadOnlyList<string>> sentences, IReadOnlyList<int[]> gold)
    {
        var predicted = Predict(sentences);
        long right = 0, total = 0;
        for (int s = 0; s < sentences.Count; s++)
        {
            for (int t = 0; t < gold[s].Length; t++)
            {
                total++;
                if (predicted[s][t] == gold[s][t]) right++;
            }
        }
        return total == 0 ? 0 : (double)right / total;
    }
}
