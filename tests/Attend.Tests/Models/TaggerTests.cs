// The tagger and its pieces: a sentence's tag logits do not depend on its batch (also with character features),
// padding words get zero character features, the character layout of a batch, word dropout only in training and
// reproducible from a seed, and parameter gradients (character BiLSTM included) match finite differences.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Models;

public class TaggerTests
{
    private static Tagger Model(string kind, bool chars, float wordDropout = 0f) => new(new TaggerConfig
    {
        Labels = ["A", "B", "C", "D"],
        WordDropout = wordDropout,
        Encoder = TextClassifierTests.Encoder(kind) with { CharVocabSize = chars ? 12 : 0, CharDim = 6, CharHidden = 4, EmbedDim = chars ? 8 : 16 },
    }, new Rng(3));

    private static (int[][] Words, int[][][] Chars) Sentences(Rng rng, params int[] lengths) =>
        (lengths.Select(n => Enumerable.Range(0, n).Select(_ => 4 + rng.NextInt(36)).ToArray()).ToArray(),
         lengths.Select(n => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 1 + rng.NextInt(25)).Select(_ => 4 + rng.NextInt(8)).ToArray()).ToArray()).ToArray());

    [Theory]
    [InlineData("lstm", true)]
    [InlineData("gru", false)]
    [InlineData("transformer", true)]
    [InlineData("transformer", false)]
    public void TagLogitsOfASentenceDoNotDependOnItsBatch(string kind, bool chars)
    {
        var model = Model(kind, chars);
        model.Eval();
        var (words, characters) = Sentences(new Rng(8), 5, 11, 2);
        using var _ = GradMode.Off();
        var batch = TokenBatch.From(words, chars ? characters : null);
        var all = model.Forward(batch);                                    // (3, 11, 4)
        for (int s = 0; s < 3; s++)
        {
            var alone = model.Forward(TokenBatch.From([words[s]], chars ? [characters[s]] : null)); // (1, n, 4)
            for (int i = 0; i < alone.Size; i++) Assert.Equal(alone.Data[i], all.Data[s * 11 * 4 + i], 4);
        }
    }

    [Fact]
    public void ABatchLaysOutClippedCharactersPerWord()
    {
        var long26 = Enumerable.Range(100, 26).ToArray();
        var batch = TokenBatch.From([[5, 6], [7]], [[[9, 9, 9], long26], [[4]]]);
        Assert.Equal((2, 2, CharacterFeatures.MaxWordLength), (batch.Batch, batch.Length, batch.WordLength));
        Assert.Equal([3, 20, 1, 0], batch.CharLengths!);
        var second = batch.Chars!.AsSpan(20, 20).ToArray();
        Assert.Equal([.. long26[..10], .. long26[^10..]], second); // head and tail of the long word
        Assert.Equal([false, false, false, true], batch.Padding.Data);
        Assert.Throws<ArgumentException>(() => TokenBatch.From([[5, 6]], [[[9]]]));
    }

    [Fact]
    public void PaddingWordsGetZeroCharacterFeatures()
    {
        var features = new CharacterFeatures(10, 4, 3, new Rng(2));
        var y = features.Forward([5, 6, 0, 0, 0, 0], [2, 0], 2, 3);       // (2, 6)
        Assert.All(y.Data.AsSpan(6, 6).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(y.Data.AsSpan(0, 6).ToArray(), v => v != 0f);
    }

    [Fact]
    public void WordDropoutActsOnlyInTrainingAndFollowsTheSeed()
    {
        var drop = new Dropout(0.5f, new Rng(1));
        drop.Reseed(42);
        var a = drop.DrawDrops(200);
        drop.Reseed(42);
        Assert.Equal(a, drop.DrawDrops(200));
        Assert.InRange(a.Count(d => d), 70, 130);
        drop.Eval();
        Assert.DoesNotContain(true, drop.DrawDrops(200));

        var model = Model("lstm", chars: false, wordDropout: 0.5f);
        var (words, _) = Sentences(new Rng(4), 9);
        var batch = TokenBatch.From(words);
        model.Eval();
        using var _ = GradMode.Off();
        var eval1 = model.Forward(batch).Data;
        Assert.Equal(eval1, model.Forward(batch).Data);
        model.Train();
        model.Modules().OfType<Dropout>().ToList().ForEach(d => d.Reseed(7));
        var train1 = model.Forward(batch).Data;
        model.Modules().OfType<Dropout>().ToList().ForEach(d => d.Reseed(7));
        Assert.Equal(train1, model.Forward(batch).Data);
        Assert.NotEqual(eval1, train1);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void ParameterGradientsMatchFiniteDifferences(string kind)
    {
        var model = Model(kind, chars: true);
        model.Eval();
        var (words, characters) = Sentences(new Rng(6), 4, 2);
        var batch = TokenBatch.From(words, characters);
        var parameters = model.NamedParameters().Where(p => p.Name.StartsWith("encoder.chars.", StringComparison.Ordinal) || p.Name.StartsWith("head.", StringComparison.Ordinal))
            .Select(p => p.Tensor).Where(t => t.Shape.Rank == 2).ToArray();
        Assert.True(parameters.Length >= 3);
        foreach (var p in parameters) p.RequiresGrad = true;
        GradCheck.Check($"tagger {kind}", _ => model.Forward(batch), parameters, h: 1e-3f, rtol: 5e-2, atol: 5e-3);
    }
}
