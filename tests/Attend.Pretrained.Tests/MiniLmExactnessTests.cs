// Attend's all-MiniLM-L6-v2 (converted from the package's ONNX file) against ONNX Runtime on the same file: every
// position's last hidden state and every sentence embedding within 1e-4, one sentence at a time and in padded batches
// of mixed lengths up to 256 tokens; with the weights as loaded and packed for inference (Module.PackForInference).
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tasks.Embedding;

namespace Attend.Pretrained.Tests;

[Collection("minilm")]
public sealed class MiniLmExactnessTests(MiniLm minilm)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void TheConversionReadsTheGraphsSizesAndCasing()
    {
        var c = minilm.Checkpoint.Encoder.Config;
        Assert.Equal((30522, 384, 6, 12, 1536, 512, 2), (c.VocabSize, c.HiddenSize, c.NumLayers, c.NumHeads, c.IntermediateSize, c.MaxPositions, c.TypeVocabSize));
        Assert.Equal(1e-12f, c.LayerNormEps);
        Assert.Equal(BertActivation.Gelu, c.Activation);
        Assert.True(c.AddPoolingLayer);
        Assert.True(minilm.Checkpoint.Tokenizer.PreTokenizer.LowerCase);   // an uncased vocabulary
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EachSentenceAloneMatchesOnnxRuntimeAtEveryPosition(bool packed)
    {
        var model = minilm.Model(packed);
        using var _ = GradMode.Off();
        foreach (var text in Sentences.All)
        {
            var input = model.Tokenizer.Encode(text, maxLength: 256);
            var batch = BertBatch.From([input], model.Tokenizer.PadId);
            AssertClose(minilm.Hidden(batch), model.Encoder.Forward(batch).Data, text, batch, everyPosition: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PaddedBatchesMatchOnnxRuntimeAtTheRealPositions(bool packed)
    {
        var model = minilm.Model(packed);
        using var _ = GradMode.Off();
        var tokenizer = model.Tokenizer;
        // consecutive sentences of very different lengths share a batch, so most rows are padded
        foreach (var group in Sentences.All.Chunk(7))
        {
            var batch = BertBatch.From([.. group.Select(t => tokenizer.Encode(t, maxLength: 256))], tokenizer.PadId);
            AssertClose(minilm.Hidden(batch), model.Encoder.Forward(batch).Data, string.Join(" | ", group.Select(g => g[..Math.Min(20, g.Length)])), batch, everyPosition: false);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SentenceEmbeddingsMatchMeanPoolingOverOnnxRuntime(bool packed)
    {
        var model = minilm.Model(packed);
        var embedder = new SentenceEmbedder(model);
        var ours = embedder.Embed(Sentences.All, Pooling.Mean, normalize: true, batchSize: 8, maxLength: 256);
        var tokenizer = model.Tokenizer;
        for (int s = 0; s < Sentences.All.Length; s++)
        {
            var batch = BertBatch.From([tokenizer.Encode(Sentences.All[s], maxLength: 256)], tokenizer.PadId);
            var hidden = minilm.Hidden(batch);
            int c = 384, n = batch.Length;
            var mean = new double[c];
            for (int p = 0; p < n; p++)
                for (int k = 0; k < c; k++) mean[k] += hidden[p * c + k] / (double)n;
            double norm = Math.Sqrt(mean.Sum(x => x * x));
            float worst = 0;
            for (int k = 0; k < c; k++) worst = Math.Max(worst, Math.Abs((float)(mean[k] / norm) - ours[s][k]));
            Assert.True(worst <= Tolerance, $"sentence {s} ({Sentences.All[s][..Math.Min(30, Sentences.All[s].Length)]}): embedding differs by {worst}");
            Assert.Equal(1.0, Math.Sqrt(ours[s].Sum(x => (double)x * x)), 5);
        }
    }

    [Fact]
    public void ParaphrasesAreCloserThanUnrelatedSentences()
    {
        var embedder = new SentenceEmbedder(minilm.Checkpoint);
        var v = embedder.Embed(["A man is playing a guitar.", "Someone plays an instrument.", "The stock market fell today."]);
        static double Cos(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        Assert.True(Cos(v[0], v[1]) > Cos(v[0], v[2]) + 0.2, $"paraphrase {Cos(v[0], v[1]):F3}, unrelated {Cos(v[0], v[2]):F3}");
    }

    private static void AssertClose(float[] expected, float[] actual, string what, BertBatch batch, bool everyPosition)
    {
        Assert.Equal(expected.Length, actual.Length);
        int c = expected.Length / (batch.Batch * batch.Length);
        float worst = 0;
        for (int b = 0; b < batch.Batch; b++)
            for (int p = 0; p < (everyPosition ? batch.Length : batch.Lengths[b]); p++)
                for (int k = 0; k < c; k++)
                {
                    int i = (b * batch.Length + p) * c + k;
                    worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
                }
        Assert.True(worst <= Tolerance, $"{what}: last_hidden_state differs by {worst}");
    }
}
