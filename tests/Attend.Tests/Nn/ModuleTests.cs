// Module plumbing: PyTorch state-dict names, strict loading errors, train/eval reaching every child, tied weights
// counted once, and gradient checks of the attention modules with a random cotangent.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void EncoderLayerHasTorchStateDictNames()
    {
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions(8, 2, 16), new Rng(1));
        Assert.Equal(
            ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
             "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"],
            layer.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void StrictLoadingNamesMissingUnknownAndMisshapenParameters()
    {
        var lin = new Linear(3, 2, new Rng(1));
        var state = lin.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state.Remove("bias");
        Assert.Contains("missing parameter 'bias'", Assert.Throws<ArgumentException>(() => lin.LoadStateDict(state)).Message);
        state["bias"] = Tensor.Zeros(2);
        state["extra"] = Tensor.Zeros(1);
        Assert.Contains("unexpected parameter(s) in state dict: extra", Assert.Throws<ArgumentException>(() => lin.LoadStateDict(state)).Message);
        state.Remove("extra");
        state["weight"] = Tensor.Zeros(3, 2);
        Assert.Contains("parameter 'weight': shape (3, 2)", Assert.Throws<ArgumentException>(() => lin.LoadStateDict(state)).Message);
    }

    [Fact]
    public void EvalReachesEveryChildAndDisablesDropout()
    {
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions(8, 2, 16, Dropout: 0.5f), new Rng(2));
        var x = Tensor.Normal(new Rng(3), 0f, 1f, 2, 3, 8);
        layer.Eval();
        Assert.Equal(layer.Forward(x).Data, layer.Forward(x).Data);
        layer.Train();
        Assert.NotEqual(layer.Forward(x).Data, layer.Forward(x).Data);
    }

    [Fact]
    public void LocationAttentionGradientMatchesFiniteDifferences()
    {
        var rng = new Rng(4);
        var att = new LocationAttention(5, 6, rng);
        var mask = Attention.Combine(Mask.FromLengths([4, 2], 4), null, 2, 3, 4);
        GradCheck.Check("location_attention", x => att.Forward(x[0], x[1], mask).Context,
            [GradCheck.Leaf(rng, [2, 3, 5]), GradCheck.Leaf(rng, [2, 4, 7]), att.W.Weight]);
    }
}
