// TensorMemory: recycling buffers between steps changes no number, reuses the same arrays once shapes repeat, and
// never lends out a parameter's gradient; a parameter reuses its own gradient array after ZeroGrad; a large inference
// batch collects its garbage when it ends.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;
using Attend.Training;

namespace Attend.Tests.Tensors;

public class TensorMemoryTests
{
    // big enough that activations (8·32·64 = 16,384 floats) and the FFN (8·32·256) are pooled
    private const int B = 8, T = 32, D = 64;

    private static (TransformerEncoderLayer Layer, Adam Optimizer, Tensor X) Setup()
    {
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions(D, 4, 256, Dropout: 0.1f), new Rng(5));
        layer.Train();
        var x = Tensor.Normal(new Rng(6), 0f, 1f, B, T, D);
        return (layer, new Adam(layer.Parameters(), 1e-3f), x);
    }

    /// <summary>One update with a random cotangent on the output; returns Σ y·cotangent.</summary>
    private static float Step(TransformerEncoderLayer layer, Adam optimizer, Tensor x, Tensor cotangent, bool recycle)
    {
        optimizer.ZeroGrad();
        using var scope = recycle ? TensorMemory.Recycle() : null;
        var y = layer.Forward(x);                                   // (B, T, D)
        y.Backward(cotangent);
        optimizer.Step();
        float loss = 0;
        for (int i = 0; i < y.Size; i++) loss += y.Data[i] * cotangent.Data[i];
        return loss;
    }

    [Fact]
    public void RecycledStepsGiveBitIdenticalLossesAndWeights()
    {
        var cot = Tensor.Normal(new Rng(7), 0f, 1f, B, T, D);
        var (plainLayer, plainOpt, x) = Setup();
        var (recycledLayer, recycledOpt, _) = Setup();
        for (int step = 0; step < 4; step++)
            Assert.Equal(Step(plainLayer, plainOpt, x, cot, recycle: false), Step(recycledLayer, recycledOpt, x, cot, recycle: true));
        var expected = plainLayer.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Data);
        foreach (var (name, p) in recycledLayer.NamedParameters()) Assert.Equal(expected[name], p.Data);
        TensorMemory.Trim();
    }

    [Fact]
    public void ASecondStepOfTheSameShapesReusesTheFirstStepsBuffers()
    {
        var (layer, opt, x) = Setup();
        var cot = Tensor.Normal(new Rng(8), 0f, 1f, B, T, D);
        TensorMemory.Trim();
        Step(layer, opt, x, cot, recycle: true);
        var (buffers, floats) = TensorMemory.Pooled();
        Assert.True(buffers > 10, $"only {buffers} buffers were pooled");
        Step(layer, opt, x, cot, recycle: true);
        Assert.Equal((buffers, floats), TensorMemory.Pooled());     // nothing new was needed, nothing was dropped
        Tensor first, second;
        using (TensorMemory.Recycle()) first = layer.Forward(x);
        float[] firstData = first.Data;
        using (TensorMemory.Recycle()) second = layer.Forward(x);
        Assert.Same(firstData, second.Data);                        // the same array served the same result
        // the pool keeps only what the last scope used: the forward pass's buffers
        Assert.True(TensorMemory.Pooled().Buffers < buffers);
        TensorMemory.Trim();
        Assert.Equal((0, 0L), TensorMemory.Pooled());
    }

    [Fact]
    public void ParameterGradientsAreNeverPooledAndOutsideAScopeNothingIs()
    {
        var (layer, _, x) = Setup();
        var cot = Tensor.Normal(new Rng(9), 0f, 1f, B, T, D);
        TensorMemory.Trim();
        using (TensorMemory.Recycle())
        {
            Assert.True(TensorMemory.IsRecycling);
            layer.Forward(x).Backward(cot);
        }
        Assert.False(TensorMemory.IsRecycling);
        var grads = layer.Parameters().Select(p => p.Grad!).ToArray();
        var saved = grads.Select(g => (float[])g.Clone()).ToArray();
        foreach (var p in layer.Parameters()) p.Grad = null;              // forgotten outright (ZeroGrad would keep them for reuse)
        // another recycled step overwrites every pooled buffer; the first step's parameter gradients must not be among them
        using (TensorMemory.Recycle()) layer.Forward(Tensor.Normal(new Rng(10), 0f, 3f, B, T, D)).Backward(cot);
        for (int i = 0; i < grads.Length; i++) Assert.Equal(saved[i], grads[i]);
        // outside a scope results are plain GC arrays that no later scope hands out again
        var outside = layer.Forward(x);
        var kept = (float[])outside.Data.Clone();
        using (TensorMemory.Recycle()) layer.Forward(Tensor.Normal(new Rng(11), 0f, 3f, B, T, D));
        Assert.Equal(kept, outside.Data);
        TensorMemory.Trim();
    }

    [Fact]
    public void InsideAScopeBackwardReusesSpentGradientsAndDropsThem()
    {
        // four layers deep: without reuse the pass would hold a gradient beside every activation (about twice the
        // forward pass's buffers); spent gradients are handed back, so it needs only a few more
        var layers = Enumerable.Range(0, 4).Select(i => new TransformerEncoderLayer(new TransformerLayerOptions(D, 4, 256, Dropout: 0f), new Rng(20 + (ulong)i))).ToArray();
        var x = Tensor.Normal(new Rng(21), 0f, 1f, B, T, D);
        var cot = Tensor.Normal(new Rng(22), 0f, 1f, B, T, D);
        Tensor Forward() => layers.Aggregate(x, (h, l) => l.Forward(h));
        TensorMemory.Trim();
        using (TensorMemory.Recycle()) Forward();
        long forwardOnly = TensorMemory.Pooled().Floats;
        Tensor y;
        using (TensorMemory.Recycle())
        {
            y = Forward();
            y.Backward(cot);
        }
        long withBackward = TensorMemory.Pooled().Floats;
        Assert.True(withBackward < 1.4 * forwardOnly, $"backward pooled {withBackward:N0} floats against the forward pass's {forwardOnly:N0}");
        Assert.Null(y.Grad);                                        // spent inside the scope
        Assert.All(layers.SelectMany(l => l.Parameters()), p => Assert.NotNull(p.Grad));
        TensorMemory.Trim();
    }

    [Fact]
    public void ZeroGradKeepsALeafsArrayForItsNextGradientWhichIsStillExact()
    {
        // two identical layers: one's gradients are forgotten outright, the other's with ZeroGrad (array kept); after a
        // second backward pass of another input both hold the same numbers, the second in its first array
        var (kept, _, x) = Setup();
        var (fresh, _, _) = Setup();
        kept.Eval();
        fresh.Eval();
        var cot = Tensor.Normal(new Rng(30), 0f, 1f, B, T, D);
        kept.Forward(x).Backward(cot);
        fresh.Forward(x).Backward(cot);
        var firstArrays = kept.Parameters().Select(p => p.Grad!).ToArray();
        kept.ZeroGrad();
        Assert.All(kept.Parameters(), p => Assert.Null(p.Grad));
        foreach (var p in fresh.Parameters()) p.Grad = null;
        var x2 = Tensor.Normal(new Rng(31), 0f, 2f, B, T, D);
        kept.Forward(x2).Backward(cot);
        fresh.Forward(x2).Backward(cot);
        var keptParams = kept.Parameters().ToArray();
        var freshParams = fresh.Parameters().ToArray();
        for (int i = 0; i < keptParams.Length; i++)
        {
            Assert.Same(firstArrays[i], keptParams[i].Grad);
            Assert.Equal(freshParams[i].Grad, keptParams[i].Grad);
        }
    }

    [Fact]
    public void AnInferenceBatchThatAllocatedMuchCollectsTheYoungGenerationWhenItEnds()
    {
        int before;
        using (TensorMemory.InferenceBatch())
        {
            GC.KeepAlive(GC.AllocateUninitializedArray<byte>((int)TensorMemory.InferenceBatchCollectBytes + 1024));
            before = GC.CollectionCount(0);
        }
        Assert.True(GC.CollectionCount(0) > before, "no collection after a batch that allocated past the threshold");
    }

    [Fact]
    public void AScopeInsideAScopeIsANoOpAndTheOuterOneStillRecycles()
    {
        TensorMemory.Trim();
        var a = Tensor.Normal(new Rng(12), 0f, 1f, 200, 100);
        using (TensorMemory.Recycle())
        {
            using (TensorMemory.Recycle()) Ops.Exp(a);
            Assert.True(TensorMemory.IsRecycling);
            Ops.Exp(a);
        }
        Assert.Equal((2, 40_000L), TensorMemory.Pooled());
        TensorMemory.Trim();
    }
}
