// Weights packed for inference (Module.PackForInference): forward passes without gradients give what the unpacked
// layer gives, at every batch size; a pass with gradients ignores the pack; Train() and LoadStateDict drop the packs,
// so new weight values are never hidden behind a stale pack.
using Attend.Autograd;
using Attend.Models;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class PackForInferenceTests
{
    private static float[] Run(Linear layer, Tensor x)
    {
        using var _ = GradMode.Off();
        return (float[])layer.Forward(x).Data.Clone();
    }

    [Fact]
    public void PackedLinearGivesTheUnpackedOutputsAtEveryBatchSize()
    {
        foreach (int rows in new[] { 1, 3, 13, 40, 200 })
        {
            var layer = new Linear(70, 45, new Rng(1));
            var x = Tensor.Uniform(new Rng(2), -1f, 1f, rows, 70);
            var plain = Run(layer, x);
            layer.PackForInference();
            var packed = Run(layer, x);
            for (int i = 0; i < plain.Length; i++) Assert.True(MathF.Abs(plain[i] - packed[i]) <= 1e-5f, $"rows {rows} [{i}]: {plain[i]} vs {packed[i]}");
        }
    }

    [Theory]
    [InlineData(Attend.Kernels.Blas.GemmActivation.GeluErf)]
    [InlineData(Attend.Kernels.Blas.GemmActivation.GeluTanh)]
    [InlineData(Attend.Kernels.Blas.GemmActivation.Relu)]
    public void AnActivationFusedIntoThePackedProductEqualsTheOpAfterTheLayer(Attend.Kernels.Blas.GemmActivation activation)
    {
        var layer = new Linear(40, 64, new Rng(3));
        var x = Tensor.Uniform(new Rng(4), -2f, 2f, 13, 40);
        float[] Run()
        {
            using var _ = GradMode.Off();
            return (float[])layer.Forward(x, activation).Data.Clone();
        }
        var composed = Run();
        layer.PackForInference();
        var fused = Run();
        for (int i = 0; i < composed.Length; i++) Assert.True(MathF.Abs(composed[i] - fused[i]) <= 1e-5f, $"{activation} [{i}]: {composed[i]} vs {fused[i]}");
        Assert.Contains(composed, v => v != 0f);
        Assert.Throws<ArgumentException>(() => Ops.Linear(x, layer.Weight, layer.Bias, null, activation));   // no pack, no fused activation
    }

    [Fact]
    public void TrainingAndLoadingDropThePacks()
    {
        var layer = new Linear(8, 4, new Rng(1));
        var x = Tensor.Uniform(new Rng(2), -1f, 1f, 5, 8);
        layer.Eval().PackForInference();
        var before = Run(layer, x);

        layer.Train();
        layer.Weight.Data[0] += 1f;                          // an optimiser step, say
        layer.Eval();
        var afterTraining = Run(layer, x);
        Assert.NotEqual(before[0], afterTraining[0]);
        Assert.Equal(before[1], afterTraining[1]);           // row 0 of W feeds output 0 only

        layer.PackForInference();
        var state = layer.StateDict().ToDictionary(kv => kv.Key, kv => new Tensor((float[])kv.Value.Data.Clone(), kv.Value.Shape));
        state["weight"].Data[1 * 8] += 1f;
        layer.LoadStateDict(state);
        var afterLoading = Run(layer, x);
        Assert.NotEqual(afterTraining[1], afterLoading[1]);
    }

    [Fact]
    public void LayerNormWithAResidualEqualsTheAddThenTheLayerToTheBit()
    {
        var norm = new LayerNorm(24, 1e-12f);
        Tensor.Uniform(new Rng(7), 0.5f, 1.5f, 24).Data.CopyTo(norm.Weight.Data, 0);
        var x = Tensor.Uniform(new Rng(8), -3f, 3f, 2, 5, 24);
        var r = Tensor.Uniform(new Rng(9), -3f, 3f, 2, 5, 24);
        var expected = norm.Forward(Ops.Add(x, r)).Data;
        using var _ = GradMode.Off();
        Assert.Equal(expected, norm.Forward(x, r).Data);
        Assert.Throws<ArgumentException>(() => Ops.AddLayerNorm(x, Tensor.Zeros(2, 5, 23), null, null));
    }

    [Fact]
    public void APassWithGradientsReadsTheWeightItself()
    {
        var layer = new Linear(6, 3, new Rng(1));
        var x = Tensor.Uniform(new Rng(2), -1f, 1f, 4, 6);
        layer.PackForInference();
        layer.Weight.Data[0] += 1f;                          // stale pack, on purpose: only passes without gradients may read it
        var expected = Ops.Linear(x, layer.Weight, layer.Bias).Data;
        Assert.Equal(expected, layer.Forward(x).Data);
    }

    [Fact]
    public void APackedBertEncoderGivesTheUnpackedHiddenStates()
    {
        var config = new BertConfig { VocabSize = 30, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 40 };
        var encoder = new BertModel(config, new Rng(5));
        encoder.Eval();
        var inputs = new[] { 1, 7, 33 }.Select(n => new Attend.Text.Tokenization.BertInput([.. Enumerable.Range(0, n).Select(i => 5 + i % 20)], new int[n])).ToList();
        var batch = BertBatch.From(inputs, 0);
        float[] Hidden()
        {
            using var _ = GradMode.Off();
            return (float[])encoder.Forward(batch).Data.Clone();
        }
        var plain = Hidden();
        encoder.PackForInference();
        var packed = Hidden();
        for (int i = 0; i < plain.Length; i++) Assert.True(MathF.Abs(plain[i] - packed[i]) <= 1e-4f, $"[{i}]: {plain[i]} vs {packed[i]}");
    }
}
