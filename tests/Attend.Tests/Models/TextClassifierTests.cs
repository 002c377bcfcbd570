// The classifiers and the shared encoder: a text's logits do not depend on what it is batched with (padding is
// invisible to attention, the recurrence, pooling and the bag of n-grams), the bag's features are the distinct
// unigrams and hashed bigrams, parameter gradients match finite differences, and configs name their mistakes.
using Attend.Serialization;
using Attend.Nn;
using Attend.Autograd;
using Attend.Models;
using Attend.Tensors;

namespace Attend.Tests.Models;

public class TextClassifierTests
{
    internal static SequenceEncoderConfig Encoder(string kind, int vocab = 40) => new()
    {
        Kind = Names.Of<EncoderKind>(kind), VocabSize = vocab, EmbedDim = 16, NumHeads = 2, NumLayers = 2, DimFeedforward = 24, Dropout = 0.1f,
        MaxLength = 32, HiddenSize = 8,
    };

    internal static TextClassifier Model(string kind, string pooling = "max", int seed = 1) => new(kind == "bow"
        ? new TextClassifierConfig { Labels = ["a", "b", "c"], Bow = new BagOfNgramsConfig { VocabSize = 40, BigramBuckets = 64 } }
        : kind == "transformer-bigrams"
        ? new TextClassifierConfig { Labels = ["a", "b", "c"], Encoder = Encoder("transformer") with { BigramBuckets = 50 }, Pooling = Names.Of<Pooling>(pooling) }
        : new TextClassifierConfig { Labels = ["a", "b", "c"], Encoder = Encoder(kind), Pooling = Names.Of<Pooling>(pooling) }, new Rng((ulong)seed));

    private static int[] Ids(Rng rng, int n) => Enumerable.Range(0, n).Select(_ => 4 + rng.NextInt(36)).ToArray();

    [Theory]
    [InlineData("transformer", "max")]
    [InlineData("transformer", "mean")]
    [InlineData("transformer", "cls")]
    [InlineData("lstm", "max")]
    [InlineData("gru", "mean")]
    [InlineData("lstm", "cls")]
    [InlineData("bow", "max")]
    [InlineData("transformer-bigrams", "max")]
    public void LogitsOfATextDoNotDependOnItsBatch(string kind, string pooling)
    {
        var model = Model(kind, pooling);
        model.Eval();
        var rng = new Rng(5);
        var texts = new List<int[]> { Ids(rng, 7), Ids(rng, 19), Ids(rng, 3) };
        using var _ = GradMode.Off();
        var batched = model.Forward(texts);
        for (int i = 0; i < texts.Count; i++)
        {
            var alone = model.Forward([texts[i]]);
            for (int k = 0; k < 3; k++) Assert.Equal(alone.Data[k], batched.Data[i * 3 + k], 4);
        }
    }

    [Fact]
    public void TheBagHoldsDistinctUnigramsAndHashedBigrams()
    {
        var bow = new BagOfNgrams(new BagOfNgramsConfig { VocabSize = 10, BigramBuckets = 7 }, 2);
        var f = bow.Features([5, 6, 5, 6, 0]);
        Assert.Equal(5, f[0]);
        Assert.Equal(6, f[2]);
        Assert.Equal(4, f.Length);                      // 5, (5 6), 6, (6 5); the repeated 5 6 adds nothing; padding is no feature
        Assert.All(new[] { f[1], f[3] }, b => Assert.InRange(b, 10, 16));
        Assert.Equal(f, bow.Features([5, 6, 5, 6, 0]));  // deterministic
        Assert.Equal([1], bow.Features([0, 0]));        // nothing but padding: <unk>
        var unigrams = new BagOfNgrams(new BagOfNgramsConfig { VocabSize = 10, BigramBuckets = 0 }, 2);
        Assert.Equal([5, 6], unigrams.Features([5, 6, 5]));
    }

    [Fact]
    public void BigramVectorsArePickedByTheWordAndItsPredecessor()
    {
        int[] ids = [5, 6, 7, 0, 6, 7, 5, 6]; // two sequences of 4; the first position of each pairs with padding
        var rows = SequenceEncoder.BigramIds(ids, 4, 1000);
        Assert.All(rows, r => Assert.InRange(r, 0, 999));
        Assert.Equal(rows[2], rows[5]);                           // (6, 7) in both sequences
        Assert.Equal(rows[1], rows[7]);                           // (5, 6)
        Assert.NotEqual(rows[1], rows[4]);                        // 6 after 5 versus 6 after padding
        Assert.Equal(SequenceEncoder.BigramIds([6], 1, 1000)[0], rows[4]); // a sequence start pairs with padding
        var model = Model("transformer-bigrams");
        Assert.Equal(new Shape(50, 16), model.Encoder!.Bigrams!.Weight.Shape);
        Assert.Contains("bigram_buckets", (Encoder("transformer") with { BigramBuckets = -1 }).Problem());
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("lstm")]
    [InlineData("bow")]
    [InlineData("transformer-bigrams")]
    public void ParameterGradientsMatchFiniteDifferences(string kind)
    {
        var model = Model(kind, "mean", seed: 2);
        model.Eval(); // no dropout, so the function is deterministic
        var rng = new Rng(9);
        var texts = new List<int[]> { Ids(rng, 6), Ids(rng, 4) };
        if (kind == "bow")
            foreach (var p in model.Parameters()) for (int i = 0; i < p.Size; i++) p.Data[i] = rng.Uniform(-0.5f, 0.5f);
        var parameters = model.Parameters().Where(p => p.Shape.Rank == 2).Take(4).ToArray();
        foreach (var p in parameters) p.RequiresGrad = true;
        GradCheck.Check($"classifier {kind}", _ => model.Forward(texts), parameters, h: 1e-3f, rtol: 5e-2, atol: 5e-3); // h well below the N(0, 0.02) word vectors
    }

    [Fact]
    public void ConfigsNameTheirMistakes()
    {
        var ok = new TextClassifierConfig { Labels = ["a", "b"], Encoder = Encoder("transformer") };
        Assert.Null(ok.Problem());
        Assert.Contains("labels", (ok with { Labels = ["a"] }).Problem());
        Assert.Contains("either encoder", (ok with { Bow = new BagOfNgramsConfig { VocabSize = 40 } }).Problem());
        Assert.Contains("encoder.nhead", (ok with { Encoder = Encoder("transformer") with { NumHeads = 3 } }).Problem());
        var cnn = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<TextClassifierConfig>("""{"encoder": {"kind": "cnn"}}"""));
        Assert.Equal("$.encoder.kind", cnn.Path);
        Assert.Contains("expected one of transformer, lstm, gru", cnn.Message);
        Assert.Contains("character features", (ok with { Encoder = Encoder("lstm") with { CharVocabSize = 30 } }).Problem());
        Assert.Throws<ArgumentException>(() => new TextClassifier(ok with { Labels = [] }, new Rng(1)));
    }

    [Theory]
    [InlineData("sinusoidal", 0.5, 2.0)]   // fixed positions of amplitude 1: word vectors on the same scale (√E · N(0, 1/E))
    [InlineData("learned", 0.5, 2.0)]      // learned positions N(0, 0.02): word vectors N(0, 0.02)
    public void WordVectorsStartOnTheScaleOfThePositions(string positions, double low, double high)
    {
        var encoder = new SequenceEncoder(Encoder("transformer") with { Positions = Names.Of<PositionKind>(positions), EmbedDim = 64, NumHeads = 4, MaxLength = 200 }, new Rng(3));
        var words = encoder.TokenEmbedding.Weight.Data.AsSpan(64).ToArray().Select(v => (double)v * encoder.EmbedScale).ToArray();
        var table = encoder.Positions!.Forward(Tensor.Zeros(1, 200, 64)).Data;
        double Rms(IEnumerable<double> v) => Math.Sqrt(v.Average(x => x * x));
        double ratio = Rms(words) / Rms(table.Select(v => (double)v));
        Assert.InRange(ratio, low, high);
    }

    [Fact]
    public void AClassifierDirectoryRoundTripsAndRefusesAForeignTokenizer()
    {
        var tokenizer = Attend.Text.Tokenization.WordTokenizer.Train([string.Join(' ', Enumerable.Range(0, 60).Select(i => "w" + i))], 40);
        var model = Model("transformer");
        model.Eval();
        string dir = Path.Combine(Attend.Text.Tests.TestFiles.TempDir(), "cls");
        ModelRegistry.Save(dir, model, tokenizer, new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["text"] = new() { ["max_tokens"] = 20 } });
        var loaded = ModelRegistry.Load<TextClassifier>(dir);
        List<int[]> texts = [[5, 6, 7], [9]];
        Assert.Equal(model.Probabilities(texts), loaded.Model.Probabilities(texts));
        Attend.Text.Tokenization.TokenizerFile.Save(Attend.Text.Tokenization.WordTokenizer.Train(["a b c"], 10), Path.Combine(dir, "tokenizer.json"));
        var e = Assert.Throws<Attend.Text.Corpora.DataFormatException>(() => ModelRegistry.Load<TextClassifier>(dir));
        Assert.Contains("tokenizer.json", e.Message);
        Assert.Contains("vocab_size 40", e.Message);
    }

    [Fact]
    public void TheTransformerRefusesTextsBeyondItsPositions()
    {
        var model = Model("transformer", "cls");
        Assert.Equal(31, model.MaxTokens);
        Assert.Throws<ArgumentException>(() => model.Forward([Enumerable.Repeat(5, 32).ToArray()]));
        Assert.Null(Model("lstm").MaxTokens);
    }
}
