// Op-level golden checks against PyTorch (../shared/golden README §4.2, 4.5, 4.8, 4.11): forward values and every
// input/parameter gradient of loss = Σ output·upstream, within each case's stated tolerance.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Tests.Autograd;

public class GoldenOpTests
{
    [Theory]
    [InlineData("sdpa_nomask")]
    [InlineData("sdpa_key_padding")]
    [InlineData("sdpa_causal")]
    [InlineData("sdpa_causal_key_padding")]
    [InlineData("sdpa_seed_example")]
    public void ScaledDotProductAttentionComposedFromOps(string name)
    {
        var g = new GoldenCase(name);
        var q = g.Tensor("input.q", true);
        var k = g.Tensor("input.k", true);
        var v = g.Tensor("input.v", true);
        int b = q.Shape[0], tq = q.Shape[1], tk = k.Shape[1], dk = q.Shape[2];

        var scores = Ops.MulScalar(Ops.MatMul(q, k, transposeB: true), 1f / MathF.Sqrt(dk)); // (B, Tq, Tk)
        var mask = new bool[b * tq * tk];
        bool[]? kpm = g.Has("input.key_padding_mask") ? g.Mask("input.key_padding_mask").Data : null; // (B, Tk)
        bool[]? am = g.Has("input.attn_mask") ? g.Mask("input.attn_mask").Data : null;                // (Tq, Tk)
        for (int bi = 0; bi < b; bi++)
            for (int i = 0; i < tq; i++)
                for (int j = 0; j < tk; j++)
                    mask[(bi * tq + i) * tk + j] = (kpm?[bi * tk + j] ?? false) || (am?[i * tk + j] ?? false);
        var weights = Ops.Softmax(Ops.MaskedFill(scores, new Mask(mask, scores.Shape), float.NegativeInfinity)); // (B, Tq, Tk)
        var output = Ops.MatMul(weights, v);                                                                       // (B, Tq, Dv)

        g.AssertClose("output.weights", weights.Data);
        g.AssertClose("output.out", output.Data);
        var loss = Ops.Add(Ops.SumAll(Ops.Mul(output, g.Tensor("input.upstream.out"))), Ops.SumAll(Ops.Mul(weights, g.Tensor("input.upstream.weights"))));
        loss.Backward();
        g.AssertClose("grad.input.q", q.Grad!);
        g.AssertClose("grad.input.k", k.Grad!);
        g.AssertClose("grad.input.v", v.Grad!);
    }

    [Fact]
    public void SeedExampleWeightsAreTheTextbookValues()
    {
        // softmax([14, 12]) = [0.880797, 0.119203]
        var g = new GoldenCase("sdpa_seed_example");
        var s = Ops.MulScalar(Ops.MatMul(g.Tensor("input.q"), g.Tensor("input.k"), transposeB: true), 1f / 8f);
        var w = Ops.Softmax(s);
        Assert.Equal(0.880797f, w.Data[0], 5);
        Assert.Equal(0.119203f, w.Data[1], 5);
    }

    [Theory]
    [InlineData("layernorm")]
    [InlineData("layernorm_shifted")]
    public void LayerNorm(string name)
    {
        var g = new GoldenCase(name);
        var x = g.Tensor("input.x", true);
        var w = g.Tensor("param.weight", true);
        var b = g.Tensor("param.bias", true);
        var y = Ops.LayerNorm(x, w, b, (float)g.Config.GetProperty("eps").GetDouble());
        g.AssertClose("output.y", y.Data);
        y.Backward(g.Tensor("input.upstream"));
        g.AssertClose("grad.input.x", x.Grad!);
        g.AssertClose("grad.param.weight", w.Grad!);
        g.AssertClose("grad.param.bias", b.Grad!);
    }

    [Theory]
    [InlineData("softmax_masked")]
    [InlineData("log_softmax_masked")]
    [InlineData("gelu_erf")]
    [InlineData("gelu_tanh")]
    public void ElementwiseAndRowOps(string name)
    {
        var g = new GoldenCase(name);
        var x = g.Tensor("input.x", true);
        var y = name switch
        {
            "softmax_masked" => Ops.Softmax(x),
            "log_softmax_masked" => Ops.LogSoftmax(x),
            "gelu_erf" => Ops.Gelu(x),
            _ => Ops.Gelu(x, tanhApproximation: true),
        };
        g.AssertClose("output.y", y.Data);
        y.Backward(g.Tensor("input.upstream"));
        g.AssertClose("grad.input.x", x.Grad!);
    }

    [Theory]
    [InlineData("cross_entropy_plain")]
    [InlineData("cross_entropy_smoothed")]
    public void CrossEntropy(string name)
    {
        var g = new GoldenCase(name);
        var logits = g.Tensor("input.logits", true);
        var loss = Ops.CrossEntropy(logits, g.Ints("input.target"),
            ignoreIndex: g.Config.GetProperty("ignore_index").GetInt32(),
            labelSmoothing: (float)g.Config.GetProperty("label_smoothing").GetDouble());
        g.AssertClose("output.loss", loss.Data);
        loss.Backward(g.Tensor("input.upstream"));
        g.AssertClose("grad.input.logits", logits.Grad!);
    }
}
