// Optimizers and clipping against torch.optim / clip_grad_norm_ (../shared/../shared/golden/README.md §4.9): three steps with given
// gradients (element 0 exactly zero, element 1 ~1e-10, which exposes where eps goes), parameters after every step,
// the final state, and clipped gradients with the returned norm. Also the schedules' defining formulas.
using Attend.Tensors;
using Attend.Training;

namespace Attend.Tests.Training;

public class GoldenOptimizerTests
{
    [Theory]
    [InlineData("optim_adam")]
    [InlineData("optim_adam_l2")]
    [InlineData("optim_adamw")]
    [InlineData("optim_adamw_strong")]
    [InlineData("optim_sgd_momentum")]
    [InlineData("optim_sgd_nesterov")]
    public void ThreeStepsMatchTorch(string name)
    {
        var g = new GoldenCase(name);
        var hp = g.Config.GetProperty("hyperparameters");
        float lr = hp.GetProperty("lr").GetSingle();
        var w = g.Tensor("param.w");
        var b = g.Tensor("param.b");
        Tensor[] ps = [w, b];
        string cls = g.Config.GetProperty("optimizer").GetString()!;
        Optimizer opt = cls switch
        {
            "SGD" => new Sgd(ps, lr, hp.GetProperty("momentum").GetSingle(), hp.GetProperty("dampening").GetSingle(), hp.GetProperty("nesterov").GetBoolean()),
            _ => new Adam(ps, lr, hp.GetProperty("betas")[0].GetSingle(), hp.GetProperty("betas")[1].GetSingle(), hp.GetProperty("eps").GetSingle(),
                hp.GetProperty("weight_decay").GetSingle(), decoupled: cls == "AdamW"),
        };
        for (int step = 1; step <= 3; step++)
        {
            w.Grad = g.Tensor($"input.grad.step{step}.w").Data;
            b.Grad = g.Tensor($"input.grad.step{step}.b").Data;
            opt.Step();
            g.AssertClose($"output.param.step{step}.w", w.Data);
            g.AssertClose($"output.param.step{step}.b", b.Data);
        }
        var state = opt.State().ToDictionary(s => s.Name, s => s.Values);
        foreach (var (index, p) in new[] { (0, "w"), (1, "b") })
        {
            foreach (var buffer in new[] { "exp_avg", "exp_avg_sq", "momentum_buffer" })
                if (g.Has($"output.state.{buffer}.{p}")) g.AssertClose($"output.state.{buffer}.{p}", state[$"{index}.{buffer}"]);
        }
    }

    [Theory]
    [InlineData("clip_grad_norm_clipped")]
    [InlineData("clip_grad_norm_not_clipped")]
    [InlineData("clip_grad_norm_inf")]
    public void ClippingMatchesTorch(string name)
    {
        var g = new GoldenCase(name);
        var w = g.Tensor("input.grad.w");
        var b = g.Tensor("input.grad.b");
        var pw = new Tensor(new float[w.Size], w.Shape) { Grad = w.Data };
        var pb = new Tensor(new float[b.Size], b.Shape) { Grad = b.Data };
        string norm = g.Config.GetProperty("norm_type").ToString();
        float total = GradientClipping.ClipGradNorm([pw, pb], g.Config.GetProperty("max_norm").GetSingle(), norm == "inf" ? float.PositiveInfinity : 2f);
        g.AssertClose("output.total_norm", [total]);
        g.AssertClose("output.grad.w", pw.Grad!);
        g.AssertClose("output.grad.b", pb.Grad!);
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        var noam = new NoamSchedule(512, 4000);
        Assert.Equal(Math.Pow(512, -0.5) * 4000 * Math.Pow(4000, -1.5), noam.At(4000), 6);
        Assert.True(noam.At(2000) < noam.At(4000) && noam.At(8000) < noam.At(4000));
        var inv = new InverseSqrtSchedule(5e-4f, 4000);
        Assert.Equal(2.5e-4f, inv.At(2000), 9);
        Assert.Equal(2.5e-4f, inv.At(16000), 9);
        var cos = new CosineSchedule(1e-3f, 100, 1100);
        Assert.Equal(1e-3f, cos.At(100), 9);
        Assert.Equal(5e-4f, cos.At(600), 7);
        Assert.Equal(0f, cos.At(1100), 9);
        var decay = new EpochDecaySchedule(1e-4f, 10, 3, 0.9f); // PatchTST's type3: epochs 0..3 at the rate, then × 0.9
        Assert.Equal(1e-4f, decay.At(1), 9);
        Assert.Equal(1e-4f, decay.At(40), 9);
        Assert.Equal(0.9e-4f, decay.At(41), 9);
        Assert.Equal(1e-4f * MathF.Pow(0.9f, 5), decay.At(81), 9);
    }
}
