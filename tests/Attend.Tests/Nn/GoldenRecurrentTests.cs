// nn.RNN / nn.LSTM / nn.GRU against PyTorch (../shared/../shared/golden/README.md §4.10): outputs, final states and every gradient, for
// one and two layers, one and two directions, zero and given initial states. Also: variable lengths behave like a
// packed sequence (each sequence alone gives the same outputs and final state).
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class GoldenRecurrentTests
{
    [Theory]
    [InlineData("lstm_1layer")]
    [InlineData("lstm_1layer_bidir")]
    [InlineData("lstm_2layer_bidir")]
    [InlineData("gru_1layer")]
    [InlineData("gru_1layer_bidir")]
    [InlineData("gru_2layer_bidir")]
    [InlineData("rnn_tanh_1layer")]
    [InlineData("rnn_tanh_2layer_bidir")]
    public void MatchesTorch(string name)
    {
        var g = new GoldenCase(name);
        var cell = name.StartsWith("lstm") ? CellType.Lstm : name.StartsWith("gru") ? CellType.Gru : CellType.RnnTanh;
        var p = g.Params();
        bool bidir = p.ContainsKey("weight_ih_l0_reverse");
        int layers = p.ContainsKey("weight_ih_l1") ? 2 : 1;
        var x = g.Tensor("input.x", true);
        var rnn = new Recurrent(cell, x.Shape[2], p["weight_hh_l0"].Shape[1], new Rng(1), layers, bidir);
        rnn.LoadStateDict(p);
        var h0 = g.Has("input.h0") ? g.Tensor("input.h0", true) : null;
        var c0 = g.Has("input.c0") ? g.Tensor("input.c0", true) : null;
        var r = rnn.Forward(x, h0, c0);
        g.AssertClose("output.output", r.Output.Data);
        g.AssertClose("output.h_n", r.HiddenN.Data);
        var outputs = new Dictionary<string, Tensor> { ["output.output"] = r.Output, ["output.h_n"] = r.HiddenN };
        if (r.CellN is not null)
        {
            g.AssertClose("output.c_n", r.CellN.Data);
            outputs["output.c_n"] = r.CellN;
        }
        g.Loss(outputs).Backward();
        g.AssertClose("grad.input.x", x.Grad!);
        if (h0 is not null) g.AssertClose("grad.input.h0", h0.Grad!);
        if (c0 is not null) g.AssertClose("grad.input.c0", c0.Grad!);
        g.AssertParamGrads(rnn);
    }

    [Theory]
    [InlineData(CellType.Lstm)]
    [InlineData(CellType.Gru)]
    public void PaddedBatchEqualsEachSequenceAlone(CellType cell)
    {
        var rng = new Rng(8);
        var rnn = new Recurrent(cell, 3, 4, rng, numLayers: 2, bidirectional: true);
        var x = Tensor.Normal(rng, 0f, 1f, 2, 5, 3);
        var batch = rnn.Forward(x, lengths: [5, 3]);
        var alone = rnn.Forward(Ops.Slice(Ops.Slice(x, 0, 1, 1), 1, 0, 3));                // second sequence, 3 real steps
        var padded = Ops.Slice(Ops.Slice(batch.Output, 0, 1, 1), 1, 0, 3);
        for (int i = 0; i < alone.Output.Size; i++) Assert.Equal(alone.Output.Data[i], padded.Data[i], 5);
        Assert.All(Ops.Slice(Ops.Slice(batch.Output, 0, 1, 1), 1, 3, 2).Data, v => Assert.Equal(0f, v));
        for (int layerDir = 0; layerDir < 4; layerDir++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(alone.HiddenN.Data[layerDir * 4 + j], batch.HiddenN.Data[(layerDir * 2 + 1) * 4 + j], 5);
    }
}
