// Modules against PyTorch (../shared/../shared/golden/README.md §4.1, 4.3, 4.4): sinusoidal positions, the four attention scores of the
// lecture material, and nn.MultiheadAttention — forward outputs and every input and parameter gradient.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class GoldenModuleTests
{
    [Theory]
    [InlineData("pe_small")]
    [InlineData("pe_large")]
    public void SinusoidalTableMatchesVaswani(string name)
    {
        var g = new GoldenCase(name);
        var expected = g.Tensor("output.pe");
        var pe = Sinusoidal.Table(expected.Shape[0], expected.Shape[1]);
        g.AssertClose("output.pe", pe.Data);
        g.AssertClose("output.pe_gram", Ops.MatMul(pe, pe, transposeB: true).Data);
    }

    [Theory]
    [InlineData("attn_additive")]
    [InlineData("attn_luong_general")]
    [InlineData("attn_dot")]
    [InlineData("attn_cosine")]
    public void LectureAttentionForms(string name)
    {
        var g = new GoldenCase(name);
        var query = g.Tensor("input.query", true);
        var keys = g.Tensor("input.keys", true);
        Mask? mask = null;
        if (g.Has("input.key_padding_mask"))
        {
            var kpm = g.Mask("input.key_padding_mask");
            mask = Attention.Combine(kpm, null, query.Shape[0], query.Shape[1], keys.Shape[1]);
        }
        var rng = new Rng(1);
        Module? module = null;
        Tensor? beta = null;
        AttentionResult r;
        switch (name)
        {
            case "attn_additive":
                var add = new AdditiveAttention(query.Shape[-1], keys.Shape[-1], g.Tensor("param.W1.weight").Shape[0], rng);
                add.LoadStateDict(g.Params());
                (module, r) = (add, add.Forward(query, keys, mask));
                break;
            case "attn_luong_general":
                var gen = new GeneralAttention(query.Shape[-1], keys.Shape[-1], rng);
                gen.LoadStateDict(g.Params());
                (module, r) = (gen, gen.Forward(query, keys, mask));
                break;
            case "attn_dot":
                r = Attention.Dot(query, keys, keys, mask);
                break;
            default:
                beta = g.Tensor("input.beta", true);
                r = Attention.Cosine(query, keys, keys, beta, mask);
                break;
        }
        g.AssertClose("output.scores", r.Scores.Data);
        g.AssertClose("output.weights", r.Weights.Data);
        g.AssertClose("output.context", r.Context.Data);
        g.Loss(new Dictionary<string, Tensor> { ["output.weights"] = r.Weights, ["output.context"] = r.Context }).Backward();
        g.AssertClose("grad.input.query", query.Grad!);
        g.AssertClose("grad.input.keys", keys.Grad!);
        if (beta is not null) g.AssertClose("grad.input.beta", beta.Grad!);
        if (module is not null) g.AssertParamGrads(module);
    }

    [Theory]
    [InlineData("mha_self_key_padding")]
    [InlineData("mha_cross")]
    [InlineData("mha_causal")]
    public void MultiheadAttentionMatchesTorch(string name)
    {
        var g = new GoldenCase(name);
        int heads = g.Config.GetProperty("num_heads").GetInt32();
        var p = g.Params();
        var mha = new MultiheadAttention(p["in_proj_weight"].Shape[1], heads, new Rng(1));
        mha.LoadStateDict(p);
        bool cross = g.Has("input.memory");
        var query = g.Tensor(cross ? "input.query" : "input.x", true);
        var memory = cross ? g.Tensor("input.memory", true) : query;
        var kpm = g.Has("input.key_padding_mask") ? g.Mask("input.key_padding_mask") : null;
        var am = g.Has("input.attn_mask") ? g.Mask("input.attn_mask") : null;
        var r = mha.Forward(query, memory, memory, kpm, am);
        var perHead = mha.Forward(query, memory, memory, kpm, am, averageWeights: false).Weights!;
        g.AssertClose("output.attn_output", r.Output.Data);
        g.AssertClose("output.attn_weights", r.Weights!.Data);
        g.AssertClose("output.attn_weights_per_head", perHead.Data);
        mha.ZeroGrad();
        query.ZeroGrad();
        memory.ZeroGrad();
        g.Loss(new Dictionary<string, Tensor> { ["output.attn_output"] = r.Output, ["output.attn_weights"] = r.Weights! }).Backward();
        g.AssertClose(cross ? "grad.input.query" : "grad.input.x", query.Grad!);
        if (cross) g.AssertClose("grad.input.memory", memory.Grad!);
        g.AssertParamGrads(mha);
    }
}

public class GoldenLayerTests
{
    private static TransformerLayerOptions Options(GoldenCase g) => new(
        g.Config.GetProperty("d_model").GetInt32(), g.Config.GetProperty("nhead").GetInt32(), g.Config.GetProperty("dim_feedforward").GetInt32(),
        Dropout: 0f, NormFirst: g.Config.GetProperty("norm_first").GetBoolean());

    [Theory]
    [InlineData("encoder_layer_postnorm")]
    [InlineData("encoder_layer_prenorm")]
    public void EncoderLayerMatchesTorch(string name)
    {
        var g = new GoldenCase(name);
        var layer = new TransformerEncoderLayer(Options(g), new Rng(1));
        layer.LoadStateDict(g.Params());
        layer.Eval();
        var src = g.Tensor("input.src", true);
        var y = layer.Forward(src, g.Mask("input.src_key_padding_mask"));
        g.AssertClose("output.out", y.Data);
        g.Loss(new Dictionary<string, Tensor> { ["output.out"] = y }).Backward();
        g.AssertClose("grad.input.src", src.Grad!);
        g.AssertParamGrads(layer);
    }

    [Theory]
    [InlineData("decoder_layer_postnorm")]
    [InlineData("decoder_layer_prenorm")]
    public void DecoderLayerMatchesTorch(string name)
    {
        var g = new GoldenCase(name);
        var layer = new TransformerDecoderLayer(Options(g), new Rng(1));
        layer.LoadStateDict(g.Params());
        layer.Eval();
        var tgt = g.Tensor("input.tgt", true);
        var memory = g.Tensor("input.memory", true);
        var y = layer.Forward(tgt, memory, g.Mask("input.tgt_mask"), g.Mask("input.tgt_key_padding_mask"), g.Mask("input.memory_key_padding_mask"));
        g.AssertClose("output.out", y.Data);
        g.Loss(new Dictionary<string, Tensor> { ["output.out"] = y }).Backward();
        g.AssertClose("grad.input.tgt", tgt.Grad!);
        g.AssertClose("grad.input.memory", memory.Grad!);
        g.AssertParamGrads(layer);
    }
}
