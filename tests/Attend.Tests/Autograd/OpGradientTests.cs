// One finite-difference gradient check per differentiable op (tinygrad test_ops style), each with a random cotangent.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Tests.Autograd;

public class OpGradientTests
{
    private static readonly Rng R = new(42);
    private static Tensor L(params int[] dims) => GradCheck.Leaf(R, dims);
    private static Tensor Pos(params int[] dims) => GradCheck.Leaf(R, dims, 0.5f, 2f);
    // A prediction and a target whose differences lie on both sides of δ = 0.7, each at least 0.1 from the kink.
    private static Tensor[] HuberPair()
    {
        var p = L(3, 4);
        float[] gaps = [0.2f, -0.3f, 1.5f, -2f, 0.05f, -0.5f, 0.9f, -1.1f, 3f, -0.1f, 0.4f, -4f];
        var t = new Tensor(p.Data.Select((v, i) => v + gaps[i]).ToArray(), p.Shape).WithGrad();
        return [p, t];
    }

    private static Tensor Kinked(params int[] dims) => GradCheck.Leaf(R, dims, -1f, 1f, awayFromZero: 0.05f);

    public static IEnumerable<object[]> Cases() => CaseTable.Keys.Select(k => new object[] { k });

    private static readonly Dictionary<string, Func<(Func<Tensor[], Tensor> F, Tensor[] X)>> CaseTable = new()
    {
        ["add_broadcast_row"] = () => (x => Ops.Add(x[0], x[1]), [L(3, 4, 5), L(5)]),
        ["add_broadcast_general"] = () => (x => Ops.Add(x[0], x[1]), [L(3, 1, 5), L(4, 1)]),
        ["sub_broadcast_scalar"] = () => (x => Ops.Sub(x[0], x[1]), [L(2, 3), L(1)]),
        ["sub_broadcast_left"] = () => (x => Ops.Sub(x[0], x[1]), [L(3), L(2, 3)]),
        ["mul_broadcast"] = () => (x => Ops.Mul(x[0], x[1]), [L(2, 3, 4), L(3, 1)]),
        ["div_broadcast"] = () => (x => Ops.Div(x[0], x[1]), [L(2, 3, 4), Pos(4)]),
        ["add_scalar"] = () => (x => Ops.AddScalar(x[0], 0.7f), [L(5, 3)]),
        ["mul_scalar"] = () => (x => Ops.MulScalar(x[0], -1.3f), [L(5, 3)]),
        ["matmul_2d"] = () => (x => Ops.MatMul(x[0], x[1]), [L(5, 7), L(7, 3)]),
        ["matmul_nt"] = () => (x => Ops.MatMul(x[0], x[1], transposeB: true), [L(5, 7), L(3, 7)]),
        ["matmul_tn"] = () => (x => Ops.MatMul(x[0], x[1], transposeA: true), [L(7, 5), L(7, 3)]),
        ["matmul_tt"] = () => (x => Ops.MatMul(x[0], x[1], true, true), [L(7, 5), L(3, 7)]),
        ["matmul_batched"] = () => (x => Ops.MatMul(x[0], x[1]), [L(2, 3, 4, 5), L(2, 3, 5, 6)]),
        ["matmul_batched_nt"] = () => (x => Ops.MatMul(x[0], x[1], transposeB: true), [L(3, 4, 5), L(3, 6, 5)]),
        ["matmul_shared_weight"] = () => (x => Ops.MatMul(x[0], x[1], transposeB: true), [L(2, 3, 5), L(4, 5)]),
        ["matmul_shared_weight_ta"] = () => (x => Ops.MatMul(x[0], x[1], transposeA: true), [L(2, 5, 3), L(5, 4)]),
        ["matmul_shared_left"] = () => (x => Ops.MatMul(x[0], x[1]), [L(3, 5), L(2, 5, 4)]),
        ["sum_axis"] = () => (x => Ops.Sum(x[0], 1), [L(3, 4, 5)]),
        ["sum_keepdim_last"] = () => (x => Ops.Sum(x[0], -1, keepDim: true), [L(3, 4)]),
        ["mean_axis0"] = () => (x => Ops.Mean(x[0], 0), [L(3, 4)]),
        ["max_axis"] = () => (x => Ops.Max(x[0], 1), [L(3, 6, 2)]),
        ["sum_all"] = () => (x => Ops.SumAll(x[0]), [L(3, 4)]),
        ["mean_all"] = () => (x => Ops.MeanAll(x[0]), [L(3, 4)]),
        ["exp"] = () => (x => Ops.Exp(x[0]), [L(4, 5)]),
        ["log"] = () => (x => Ops.Log(x[0]), [Pos(4, 5)]),
        ["sqrt"] = () => (x => Ops.Sqrt(x[0]), [Pos(4, 5)]),
        ["abs"] = () => (x => Ops.Abs(x[0]), [Kinked(4, 5)]),
        ["tanh"] = () => (x => Ops.Tanh(x[0]), [L(4, 5)]),
        ["sigmoid"] = () => (x => Ops.Sigmoid(x[0]), [L(4, 5)]),
        ["relu"] = () => (x => Ops.Relu(x[0]), [Kinked(4, 5)]),
        ["gelu_erf"] = () => (x => Ops.Gelu(x[0]), [L(4, 5)]),
        ["gelu_tanh"] = () => (x => Ops.Gelu(x[0], tanhApproximation: true), [L(4, 5)]),
        ["silu"] = () => (x => Ops.Silu(x[0]), [L(4, 5)]),
        ["softmax"] = () => (x => Ops.Softmax(x[0]), [L(3, 7)]),
        ["log_softmax"] = () => (x => Ops.LogSoftmax(x[0]), [L(3, 7)]),
        ["softmax_masked"] = () => (x => Ops.Softmax(Ops.MaskedFill(x[0], Mask.Causal(4), float.NegativeInfinity)), [L(2, 4, 4)]),
        ["scaled_masked_softmax_causal"] = () => (x => Ops.ScaledMaskedSoftmax(x[0], 0.7f, Mask.Causal(4)), [L(2, 3, 4, 4)]),
        ["scaled_masked_softmax_padding"] = () => (x => Ops.ScaledMaskedSoftmax(x[0], 1.3f, new Mask([false, false, true, false, true, true], new Shape(2, 1, 1, 3))), [L(2, 2, 4, 3)]),
        ["scaled_masked_softmax_nomask"] = () => (x => Ops.ScaledMaskedSoftmax(x[0], 0.5f, null), [L(3, 5)]),
        ["layer_norm"] = () => (x => Ops.LayerNorm(x[0], x[1], x[2]), [L(4, 6), Pos(6), L(6)]),
        ["layer_norm_no_affine"] = () => (x => Ops.LayerNorm(x[0], null, null), [L(4, 6)]),
        ["embedding"] = () => (x => Ops.Embedding(x[0], [1, 2, 3, 1, 2, 2], [2, 3], paddingIdx: 0), [L(4, 3)]),
        ["reshape"] = () => (x => Ops.Mul(Ops.Reshape(x[0], 4, -1), Ops.Reshape(x[0], 4, 6)), [L(2, 3, 4)]),
        ["permute"] = () => (x => Ops.Permute(x[0], 2, 0, 1), [L(2, 3, 4)]),
        ["transpose"] = () => (x => Ops.Transpose(x[0], 0, -1), [L(2, 3, 4)]),
        ["concat"] = () => (x => Ops.Concat([x[0], x[1]], 1), [L(2, 3, 4), L(2, 2, 4)]),
        ["slice"] = () => (x => Ops.Slice(x[0], 1, 1, 2), [L(2, 4, 3)]),
        ["index_select_repeats"] = () => (x => Ops.IndexSelect(x[0], 1, [0, 1, 2, 2, 3, 4, 4, 4]), [L(2, 5, 3)]),
        ["index_select_last_axis"] = () => (x => Ops.IndexSelect(x[0], -1, [3, 0, 3]), [L(3, 4)]),
        ["split"] = () => (x => { var p = Ops.Split(x[0], -1, 2, 3); return Ops.Mul(p[0], Ops.Slice(p[1], -1, 0, 2)); }, [L(3, 5)]),
        ["masked_fill"] = () => (x => Ops.MaskedFill(x[0], Mask.FromLengths([2, 3], 4), 0f), [L(2, 4)]),
        ["masked_fill_trailing"] = () => (x => Ops.MaskedFill(x[0], Mask.Causal(3), -2f), [L(2, 2, 3, 3)]),
        ["masked_fill_broadcast"] = () => (x => Ops.MaskedFill(x[0], new Mask(Mask.FromLengths([2, 3], 4).Data, new Shape(2, 1, 4)), 0f), [L(2, 3, 4)]),
        ["where"] = () => (x => Ops.Where(Mask.Causal(3), x[0], x[1]), [L(3, 3), L(3, 3)]),
        ["gather"] = () => (x => Ops.Gather(x[0], [2, -100, 0]), [L(3, 4)]),
        ["cross_entropy"] = () => (x => Ops.CrossEntropy(x[0], [1, 0, 4, 2, 0, 3], ignoreIndex: 0), [L(2, 3, 5)]),
        ["cross_entropy_smoothed"] = () => (x => Ops.CrossEntropy(x[0], [1, 0, 4, 2, 0, 3], ignoreIndex: 0, labelSmoothing: 0.1f), [L(2, 3, 5)]),
        ["bce_with_logits"] = () => (x => Ops.BinaryCrossEntropyWithLogits(x[0], x[1]), [L(3, 4), GradCheck.Leaf(R, [3, 4], 0f, 1f)]),
        ["mse"] = () => (x => Ops.MseLoss(x[0], x[1]), [L(3, 4), L(3, 4)]),
        ["l1"] = () => (x => Ops.L1Loss(x[0], x[1]), [L(3, 4), Ops.AddScalar(L(3, 4), 3f).Detach().WithGrad()]),
        ["huber"] = () => (x => Ops.HuberLoss(x[0], x[1], delta: 0.7f), HuberPair()),
        ["linear"] = () => (x => Ops.Linear(x[0], x[1], x[2]), [L(2, 3, 4), L(5, 4), L(5)]),
        ["linear_no_bias"] = () => (x => Ops.Linear(x[0], x[1], null), [L(3, 4), L(2, 4)]),
        ["linear_many_rows"] = () => (x => Ops.Linear(x[0], x[1], x[2]), [L(40, 9), L(7, 9), L(7)]),
        ["dropout"] = () => (x => Ops.Dropout(x[0], 0.3f, new Rng(5), training: true), [L(6, 5)]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var (f, x) = CaseTable[name]();
        GradCheck.Check(name, f, x);
    }

    [Fact]
    public void EmbeddingLookupsOfThePaddingIdSendNoGradientToItsRow()
    {
        var w = L(4, 3);
        var y = Ops.Embedding(w, [1, 0, 3, 1, 0], [5], paddingIdx: 0);
        Assert.Equal(w.Data.AsSpan(0, 3).ToArray(), y.Data.AsSpan(3, 3).ToArray()); // forward still reads row 0
        Ops.SumAll(y).Backward();
        Assert.Equal([0f, 0f, 0f, 2f, 2f, 2f, 0f, 0f, 0f, 1f, 1f, 1f], w.Grad!);
    }

    [Fact]
    public void FusedScaledMaskedSoftmaxEqualsTheComposedOps()
    {
        // forward and gradient (also when the input's gradient accumulates) against MulScalar → MaskedFill → Softmax
        var mask = new Mask([false, true, false, false, true, false, false, false, true, false, false, false], new Shape(2, 1, 2, 3));
        var rng = new Rng(21);
        var cot = GradCheck.Leaf(rng, [2, 2, 2, 3]);
        float[] Run(bool fused, out float[] grad)
        {
            var x = GradCheck.Leaf(new Rng(5), [2, 2, 2, 3]);
            var y = fused ? Ops.ScaledMaskedSoftmax(x, 0.8f, mask) : Ops.Softmax(Ops.MaskedFill(Ops.MulScalar(x, 0.8f), mask, float.NegativeInfinity));
            var twice = Ops.Add(Ops.Mul(y, cot), Ops.Mul(Ops.Softmax(x), cot)); // x gets a second gradient contribution
            Ops.SumAll(twice).Backward();
            grad = x.Grad!;
            return y.Data;
        }
        var fusedY = Run(true, out var fusedGrad);
        var composedY = Run(false, out var composedGrad);
        for (int i = 0; i < fusedY.Length; i++)
        {
            Assert.Equal(composedY[i], fusedY[i], 1e-6f);
            Assert.Equal(composedGrad[i], fusedGrad[i], 1e-6f);
        }
    }

    [Fact]
    public void TheCheckerCatchesAWrongGradient()
    {
        // y = x·x with a backward that forgets the factor 2 must be rejected
        var x = L(5);
        Func<Tensor[], Tensor> wrong = t => Ops.Mul(t[0], t[0].Detach());
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradCheck.Check("wrong", wrong, [x]));
    }
}

internal static class TensorTestExtensions
{
    public static Tensor WithGrad(this Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}
