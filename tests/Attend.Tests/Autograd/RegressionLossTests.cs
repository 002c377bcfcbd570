// Values of the regression losses against hand-computed cases: MSE, L1, and Huber on both sides of δ.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Tests.Autograd;

public class RegressionLossTests
{
    private static Tensor T(params float[] v) => new(v, new Shape(v.Length));

    [Fact]
    public void Huber_is_half_squared_inside_delta_and_linear_beyond()
    {
        // d = 0.5, −2, 1, 3 with δ = 1: ½·0.25, 1·(2 − ½), ½·1 (|d| = δ is quadratic), 1·(3 − ½)
        var loss = Ops.HuberLoss(T(1.5f, -1f, 2f, 3f), T(1f, 1f, 1f, 0f), delta: 1f);
        Assert.Equal((0.125 + 1.5 + 0.5 + 2.5) / 4, loss.Data[0], 6);
    }

    [Fact]
    public void Huber_with_a_large_delta_is_half_the_mse_and_with_a_small_one_approaches_delta_times_l1()
    {
        var p = T(0.3f, -1.2f, 2.5f, 0.0f, -0.7f);
        var t = T(-0.4f, 0.8f, 2.4f, 1.1f, 0.2f);
        Assert.Equal(0.5 * Ops.MseLoss(p, t).Data[0], Ops.HuberLoss(p, t, delta: 100f).Data[0], 5);
        float small = 1e-3f;
        Assert.Equal(small * Ops.L1Loss(p, t).Data[0], Ops.HuberLoss(p, t, delta: small).Data[0], 5);
    }

    [Fact]
    public void Huber_rejects_mismatched_shapes_and_non_positive_delta()
    {
        Assert.ThrowsAny<Exception>(() => Ops.HuberLoss(T(1f, 2f), T(1f, 2f, 3f)));
        Assert.ThrowsAny<Exception>(() => Ops.HuberLoss(T(1f), T(2f), delta: 0f));
    }
}
