// The decoder-only language model: causality (the logits at t ignore tokens after t), GPT-2 initialisation, nanoGPT's
// decay groups, config validation, and save → load → identical logits.
using Attend.Nn;
using Attend.Autograd;
using Attend.Models;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Tests.Models;

public class DecoderLmTests
{
    internal static DecoderLm Tiny(ulong seed = 1, string positions = "learned", int context = 12)
    {
        var m = new DecoderLm(new DecoderLmConfig { VocabSize = 11, Context = context, DModel = 16, NumHeads = 2, NumLayers = 2, Dropout = 0f, Positions = Names.Of<PositionKind>(positions) }, new Rng(seed));
        m.Eval();
        return m;
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("sinusoidal")]
    public void LogitsAtAPositionIgnoreLaterTokens(string positions)
    {
        using var _ = GradMode.Off();
        var m = Tiny(2, positions);
        int[] a = [1, 2, 3, 4, 5, 6, 7, 8], b = [1, 2, 3, 4, 9, 9, 0, 10];
        var la = m.Forward(a, 1, a.Length).Data;
        var lb = m.Forward(b, 1, b.Length).Data;
        int v = m.Config.VocabSize;
        for (int i = 0; i < 4 * v; i++) Assert.Equal(la[i], lb[i]);                      // positions 0..3 agree exactly
        Assert.True(Enumerable.Range(4 * v, v).Any(i => la[i] != lb[i]), "position 4 should see its own (different) token");
    }

    [Fact]
    public void TheHeadIsTiedToTheTokenEmbeddingAndStoredOnce()
    {
        var m = Tiny();
        Assert.Same(m.TokenEmbedding.Weight, m.Head.Weight);
        Assert.Single(m.NamedParameters(), p => ReferenceEquals(p.Tensor, m.TokenEmbedding.Weight));
    }

    [Fact]
    public void InitialisationFollowsGpt2()
    {
        var m = new DecoderLm(new DecoderLmConfig { VocabSize = 50, Context = 32, DModel = 64, NumHeads = 4, NumLayers = 8, Dropout = 0f }, new Rng(3));
        var p = m.StateDict();
        double Std(string name) => Math.Sqrt(p[name].Data.Average(x => (double)x * x));
        Assert.InRange(Std("tok_emb.weight"), 0.018, 0.022);
        Assert.InRange(Std("layers.0.linear1.weight"), 0.018, 0.022);
        Assert.InRange(Std("layers.0.linear2.weight"), 0.02 / 4 * 0.9, 0.02 / 4 * 1.1);           // 0.02 / √(2·8)
        Assert.InRange(Std("layers.0.self_attn.out_proj.weight"), 0.02 / 4 * 0.85, 0.02 / 4 * 1.15);
        Assert.All(p["layers.0.linear1.bias"].Data, x => Assert.Equal(0f, x));
        Assert.All(p["norm.weight"].Data, x => Assert.Equal(1f, x));
    }

    [Fact]
    public void OnlyMatricesAreDecayed()
    {
        var m = Tiny();
        var mask = m.DecayMask();
        var parameters = m.Parameters();
        Assert.Equal(parameters.Count, mask.Count);
        for (int i = 0; i < mask.Count; i++) Assert.Equal(parameters[i].Shape.Rank >= 2, mask[i]);
        Assert.Contains(true, mask);
        Assert.Contains(false, mask);
    }

    [Theory]
    [InlineData(0, 8, 16, 2, 1, "vocab_size")]
    [InlineData(10, 0, 16, 2, 1, "context")]
    [InlineData(10, 8, 15, 2, 1, "multiple of nhead")]
    [InlineData(10, 8, 16, 2, 0, "num_layers")]
    public void BadSizesAreNamed(int vocab, int context, int d, int heads, int layers, string expected)
    {
        var cfg = new DecoderLmConfig { VocabSize = vocab, Context = context, DModel = d, NumHeads = heads, NumLayers = layers };
        Assert.Contains(expected, cfg.Problem());
        Assert.Throws<ArgumentException>(() => new DecoderLm(cfg, new Rng(1)));
    }

    [Fact]
    public void ALongerInputThanTheContextIsRefused()
    {
        var m = Tiny(context: 4);
        var e = Assert.Throws<ArgumentException>(() => m.Forward([1, 2, 3, 4, 5], 1, 5));
        Assert.Contains("context of 4", e.Message);
    }

    [Fact]
    public void SavedAndLoadedModelsGiveIdenticalLogits()
    {
        using var _ = GradMode.Off();
        var m = Tiny(4);
        string dir = Directory.CreateTempSubdirectory("attend-lm-").FullName;
        ModelRegistry.Save(dir, m);
        Assert.Equal(DecoderLm.Kind.Name, ModelDirectory.ReadHeader(dir).Architecture);
        var loaded = ModelRegistry.Load<DecoderLm>(dir);
        int[] ids = [3, 1, 4, 1, 5, 9, 2, 6];
        Assert.Equal(m.Forward(ids, 2, 4).Data, loaded.Model.Forward(ids, 2, 4).Data);
        var e = Assert.Throws<Text.Corpora.DataFormatException>(() => ModelRegistry.Load<Seq2SeqModel>(dir));
        Assert.Contains("architecture", e.Message);
    }
}
