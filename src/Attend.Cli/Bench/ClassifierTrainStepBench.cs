// `attend bench train-step --case imdb`: one training step of Chollet's IMDB Transformer-encoder classifier (Deep
// Learning with Python, 2nd ed., ch. 11), model (c) of ../shared/peers as torch_bench.py imdb-train times it: batch 32
// of 600 random word ids (no padding) from a 20,000-word vocabulary, embedding 256 plus learned positions, one post-norm
// encoder block with 2 heads of width 256 (Keras key_dim = embed_dim) and a 32-wide feed-forward, LayerNorm eps 1e-3,
// global max pooling, dropout 0.5 on the pooled vector only, a linear head; forward, loss, backward and an optimizer step.
// Differences from the peer: two logits with cross-entropy instead of one with binary cross-entropy (the same work to
// within 257 parameters), and Adam instead of RMSprop (one more moment buffer to update: slightly more work for us).
using System.Diagnostics;
using Attend.Autograd;
using Attend.Models;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Cli.Bench;

/// <summary>IMDB encoder-classifier training throughput against PyTorch.</summary>
public static class ClassifierTrainStepBench
{
    public const string Case = "imdb";
    private const int Batch = 32, Length = 600, Vocab = 20000;

    public static TrainStepResult Run(int threads, double minSeconds)
    {
        var config = new TextClassifierConfig
        {
            Labels = ["neg", "pos"],
            Pooling = Attend.Nn.Pooling.Max,
            HeadDropout = 0.5f,
            Encoder = new SequenceEncoderConfig
            {
                Kind = EncoderKind.Transformer, VocabSize = Vocab, EmbedDim = 256, NumHeads = 2, HeadDim = 256, NumLayers = 1, DimFeedforward = 32,
                Dropout = 0f, MaxLength = Length, LayerNormEps = 1e-3f,
            },
        };
        var model = new TextClassifier(config, new Rng(1));
        var rng = new Rng(2);
        var texts = Enumerable.Range(0, Batch).Select(_ => Enumerable.Range(0, Length).Select(_ => 1 + rng.NextInt(Vocab - 1)).ToArray()).ToList();
        var labels = Enumerable.Range(0, Batch).Select(_ => rng.NextInt(2)).ToArray();
        var optimizer = new Adam(model.Parameters(), 1e-3f);
        var (t, losses) = Measure.TrainSteps(optimizer, () => Ops.CrossEntropy(model.Forward(texts), labels), minSeconds);
        double tokens = Batch * Length;
        return TrainStepResult.From("imdb_encoder_train_step", threads, t, tokens, losses);
    }
}
