// Sentence embeddings as sentence-transformers computes them: WordPiece ids with [CLS]/[SEP], cut to the model's
// length, the encoder's last hidden states, then the mean over real tokens (or the [CLS] state) and L2
// normalisation. Texts are batched by length (fewer padded positions) and returned in input order; padding does not
// change a text's vector beyond float rounding (its keys are masked).
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Tokenization;

namespace Attend.Tasks.Embedding;

/// <summary>Texts → unit vectors (or raw pooled vectors) from a BERT-family encoder.</summary>
public sealed class SentenceEmbedder(BertCheckpoint checkpoint)
{
    public BertCheckpoint Checkpoint { get; } = checkpoint;

    /// <summary>Width of an embedding.</summary>
    public int Dimension => Checkpoint.Encoder.Config.HiddenSize;

    /// <summary>Loads an Attend or Hugging Face BERT directory, its weights packed for inference.</summary>
    public static SentenceEmbedder Load(string dir)
    {
        var checkpoint = BertCheckpoint.Load(dir);
        checkpoint.Model.PackForInference();
        return new(checkpoint);
    }

    /// <summary>The ids the model reads for <paramref name="text"/>, cut to <paramref name="maxLength"/> (null = the model's).</summary>
    public BertInput Encode(string text, int? maxLength = null) => Checkpoint.Tokenizer.Encode(text, maxLength: maxLength ?? Checkpoint.MaxLength);

    /// <summary>One vector per text, in order. <paramref name="pooling"/> is Mean or Cls; batches hold at most <paramref name="batchSize"/> texts.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, Pooling pooling = Pooling.Mean, bool normalize = true, int batchSize = 32, int? maxLength = null)
    {
        if (pooling is not (Pooling.Mean or Pooling.Cls)) throw new ArgumentException("sentence embeddings pool by mean or cls");
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {batchSize}");
        var inputs = texts.Select(t => Encode(t, maxLength)).ToArray();
        var order = Enumerable.Range(0, inputs.Length).OrderBy(i => inputs[i].Ids.Length).ThenBy(i => i).ToArray();
        var result = new float[inputs.Length][];
        var encoder = Checkpoint.Encoder;
        bool training = encoder.Training;
        encoder.Eval();
        using (GradMode.Off())
        {
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var chunk = order[start..Math.Min(order.Length, start + batchSize)];
                using var batchMemory = TensorMemory.InferenceBatch();
                var batch = BertBatch.From([.. chunk.Select(i => inputs[i])], Checkpoint.Tokenizer.PadId);
                var hidden = encoder.Forward(batch).Data;                                         // (B, T, C)
                for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = Pool(hidden, j, batch, pooling, normalize);
            }
        }
        encoder.Train(training);
        return result;
    }

    // the mean of the real positions' states (or position 0), then divided by max(‖v‖, 1e-12)
    private float[] Pool(float[] hidden, int row, BertBatch batch, Pooling pooling, bool normalize)
    {
        int c = Dimension, t = batch.Length, n = pooling == Pooling.Cls ? 1 : batch.Lengths[row];
        var v = new float[c];
        for (int p = 0; p < n; p++)
        {
            var state = hidden.AsSpan((row * t + p) * c, c);
            for (int k = 0; k < c; k++) v[k] += state[k];
        }
        for (int k = 0; k < c; k++) v[k] /= n;
        if (!normalize) return v;
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        float scale = (float)(1 / Math.Max(norm, 1e-12));
        for (int k = 0; k < c; k++) v[k] *= scale;
        return v;
    }
}
