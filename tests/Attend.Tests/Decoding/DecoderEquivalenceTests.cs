// Decoder equivalences: cached logits equal full-prefix logits step by step (post-norm and pre-norm), cached greedy
// and beam equal the reference decoders (golden models and random models), batched greedy equals one-by-one, and a
// beam of width 1 equals greedy.
using Attend.Models;
using System.Text.Json;
using Attend.Autograd;
using Attend.Decoding;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Decoding;

public class DecoderEquivalenceTests
{
    private static Seq2SeqTransformer Random(bool normFirst, ulong seed)
    {
        var cfg = new Seq2SeqConfig { VocabSize = 13, DModel = 16, NumHeads = 2, EncoderLayers = 2, DecoderLayers = 2, DimFeedforward = 24, Dropout = 0f, NormFirst = normFirst, TieEmbeddings = seed % 2 == 0 };
        var m = new Seq2SeqTransformer(cfg, new Rng(seed));
        m.Eval();
        return m;
    }

    private static Seq2SeqTransformer Golden(string name)
    {
        var g = new GoldenCase(name);
        var m = new Seq2SeqTransformer(JsonSerializer.Deserialize<Seq2SeqConfig>(g.Config.GetRawText())!, new Rng(1));
        m.LoadStateDict(g.Params());
        m.Eval();
        return m;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CachedStepLogitsEqualFullPrefixLogits(bool normFirst)
    {
        using var _ = GradMode.Off();
        var m = Random(normFirst, 3);
        int[] src = [4, 5, 6, 7, 0, 0];
        var memory = m.Encode(src, 1, src.Length);
        var pad = m.PaddingMask(src, 1, src.Length);
        var dec = new KvCacheDecoder(m, memory, pad);
        int[] prefix = [1, 9, 3, 11, 5];
        for (int t = 1; t <= prefix.Length; t++)
        {
            var cached = dec.Step([prefix[t - 1]]);
            var full = Ops.Slice(m.Decode(prefix[..t], 1, t, memory, pad), 1, t - 1, 1);
            for (int j = 0; j < cached.Size; j++) Assert.Equal(full.Data[j], cached.Data[j], 4);
        }
    }

    public static TheoryData<string> Models => new() { "seq2seq_tied", "seq2seq_separate", "random_post", "random_pre" };

    private static (Seq2SeqTransformer, int[][]) Setup(string model)
    {
        if (model.StartsWith("seq2seq"))
        {
            var g = new GoldenCase(model);
            var src = g.Ints("input.src");
            int s = g.Shape("input.src")[1];
            return (Golden(model), Enumerable.Range(0, g.Shape("input.src")[0]).Select(r => src[(r * s)..((r + 1) * s)].Where(id => id != 0).ToArray()).ToArray());
        }
        var rng = new System.Random(5);
        var sources = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, rng.Next(1, 9)).Select(_ => rng.Next(3, 13)).ToArray()).ToArray();
        return (Random(model == "random_pre", model == "random_pre" ? 8UL : 7UL), sources);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void CachedGreedyEqualsReferenceAndBatchingDoesNotMatter(string model)
    {
        var (m, sources) = Setup(model);
        var batched = Decoders.Greedy(m, sources, 12);
        for (int i = 0; i < sources.Length; i++)
        {
            Assert.Equal(ReferenceDecoders.Greedy(m, sources[i], 12), batched[i]);
            Assert.Equal(batched[i], Decoders.Greedy(m, [sources[i]], 12)[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void CachedBeamEqualsReferenceAndWidthOneIsGreedy(string model)
    {
        var (m, sources) = Setup(model);
        foreach (var src in sources)
        {
            var options = new DecodeOptions(12, 4, 0.6f);
            var reference = ReferenceDecoders.Beam(m, src, options);
            var cached = Decoders.Beam(m, src, options);
            Assert.Equal(reference.Select(h => string.Join(",", h.Tokens)), cached.Select(h => string.Join(",", h.Tokens)));
            for (int k = 0; k < reference.Count; k++) Assert.Equal(reference[k].LogProb, cached[k].LogProb, 3);
            var one = Decoders.Beam(m, src, options with { BeamWidth = 1 });
            Assert.Equal(Decoders.Greedy(m, [src], 12)[0], one[0].Tokens);
        }
    }

    [Fact]
    public void SamplingAtTemperatureZeroIsGreedyAndASeedReproduces()
    {
        var (m, sources) = Setup("random_post");
        var greedy = Decoders.Greedy(m, sources, 12);
        Assert.Equal(greedy, Decoders.Sample(m, sources, 12, new SamplingOptions(Temperature: 0f), new Rng(1)));
        var a = Decoders.Sample(m, sources, 12, new SamplingOptions(Temperature: 1.5f, TopK: 6, TopP: 0.95f), new Rng(4));
        var b = Decoders.Sample(m, sources, 12, new SamplingOptions(Temperature: 1.5f, TopK: 6, TopP: 0.95f), new Rng(4));
        Assert.Equal(a, b);
        Assert.NotEqual(greedy, a);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void BatchedBeamGivesEachSourceItsOwnBeam(string model)
    {
        var (m, sources) = Setup(model);
        foreach (var options in new[] { new DecodeOptions(12, 4, 0.6f), new DecodeOptions(9, 3, 1.0f, MinLength: 4), new DecodeOptions(12, 1) })
        {
            var batched = BatchedBeam.Decode(m, sources, options);
            Assert.Equal(sources.Length, batched.Count);
            for (int i = 0; i < sources.Length; i++)
            {
                var single = Decoders.Beam(m, sources[i], options);
                Assert.Equal(single.Select(h => string.Join(",", h.Tokens)), batched[i].Select(h => string.Join(",", h.Tokens)));
                for (int k = 0; k < single.Count; k++) Assert.Equal(single[k].Score, batched[i][k].Score, 4);
            }
        }
    }
}
