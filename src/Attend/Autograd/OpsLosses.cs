// Losses with PyTorch's definitions: cross-entropy with ignore_index and label smoothing (F.cross_entropy: the
// smoothing mass ε is spread over all V classes, the mean is over non-ignored tokens), binary cross-entropy with
// logits, MSE, L1 and Huber. Cross-entropy is composed from log-softmax, a gather and a row mean.
using Attend.Tensors;

namespace Attend.Autograd;

public static partial class Ops
{
    /// <summary>
    /// logits: (..., V), targets: one id per row of logits → scalar mean loss over rows whose target ≠ ignoreIndex.
    /// per row: (1−ε)·(−log p[t]) + (ε/V)·Σ_v (−log p[v]).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, int ignoreIndex = -100, float labelSmoothing = 0f)
    {
        int v = logits.Shape.Last, rows = logits.Size / Math.Max(v, 1);
        Require(targets.Length == rows, $"cross-entropy: {targets.Length} targets for {rows} rows of logits {logits.Shape}");
        Require(labelSmoothing >= 0f && labelSmoothing <= 1f, $"label smoothing must be in [0, 1], got {labelSmoothing}");
        for (int i = 0; i < rows; i++)
            Require(targets[i] == ignoreIndex || targets[i] >= 0 && targets[i] < v, $"cross-entropy: target {targets[i]} at row {i} is outside [0, {v})");
        int count = targets.Count(t => t != ignoreIndex);
        var weights = new float[rows];
        for (int i = 0; i < rows; i++) weights[i] = targets[i] == ignoreIndex ? 0f : 1f / count;
        var w = new Tensor(weights, new Shape(rows));

        var logp = LogSoftmax(Reshape(logits, rows, v));                 // (N, V)
        var nll = Neg(Gather(logp, targets, ignoreIndex));                // (N)
        var perRow = labelSmoothing == 0f
            ? nll
            : Add(MulScalar(nll, 1f - labelSmoothing), MulScalar(Mean(logp, -1), -labelSmoothing)); // (N)
        return SumAll(Mul(perRow, w));
    }

    /// <summary>x: (N, V), index: (N) → (N) with x[i, index[i]] (0 where index = ignoreIndex).</summary>
    public static Tensor Gather(Tensor x, int[] index, int ignoreIndex = -100)
    {
        Require(x.Rank == 2 && index.Length == x.Shape[0], $"gather: index of {index.Length} does not match rows of {x.Shape}");
        int v = x.Shape[1];
        var y = Zeroed(new Shape(index.Length));
        for (int i = 0; i < index.Length; i++)
        {
            if (index[i] == ignoreIndex) continue;
            Require(index[i] >= 0 && index[i] < v, $"gather: index {index[i]} at row {i} is outside [0, {v})");
            y.Data[i] = x.Data[i * v + index[i]];
        }
        return Record(y, [x], () =>
        {
            var dx = x.GradBuffer();
            for (int i = 0; i < index.Length; i++) if (index[i] != ignoreIndex) dx[i * v + index[i]] += y.Grad![i];
        });
    }

    /// <summary>Mean of max(x,0) − x·y + log(1 + e^(−|x|)) (numerically stable BCE on logits). x, y: same shape.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets)
    {
        Require(logits.Shape == targets.Shape, $"BCE: logits {logits.Shape} and targets {targets.Shape} differ");
        int n = logits.Size;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float x = logits.Data[i], t = targets.Data[i];
            total += Math.Max(x, 0f) - x * t + Math.Log(1.0 + Math.Exp(-Math.Abs(x)));
        }
        var y = Tensor.Scalar((float)(total / n));
        return Record(y, [logits, targets], () =>
        {
            float g = y.Grad![0] / n;
            if (logits.RequiresGrad)
            {
                var dx = logits.GradBuffer();
                for (int i = 0; i < n; i++) dx[i] += g * (1f / (1f + MathF.Exp(-logits.Data[i])) - targets.Data[i]);
            }
            if (targets.RequiresGrad)
            {
                var dt = targets.GradBuffer();
                for (int i = 0; i < n; i++) dt[i] -= g * logits.Data[i];
            }
        });
    }

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        var d = Sub(prediction, target);
        return MeanAll(Mul(d, d));
    }

    /// <summary>Mean absolute error.</summary>
    public static Tensor L1Loss(Tensor prediction, Tensor target) => MeanAll(Abs(Sub(prediction, target)));

    /// <summary>
    /// Huber loss (nn.HuberLoss): the mean over elements of ½d² where |d| ≤ δ and δ(|d| − ½δ) beyond, d = prediction − target.
    /// Quadratic near zero like MSE, linear in the tails like L1, so outliers pull with a bounded force δ.
    /// </summary>
    public static Tensor HuberLoss(Tensor prediction, Tensor target, float delta = 1f)
    {
        Require(prediction.Shape == target.Shape, $"huber: prediction {prediction.Shape} and target {target.Shape} differ");
        Require(delta > 0f && float.IsFinite(delta), $"huber: delta must be positive, got {delta}");
        int n = prediction.Size;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float d = prediction.Data[i] - target.Data[i], a = MathF.Abs(d);
            total += a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
        }
        var y = Tensor.Scalar((float)(total / Math.Max(n, 1)));
        return Record(y, [prediction, target], () =>
        {
            float g = y.Grad![0] / Math.Max(n, 1);
            Span<float> dp = prediction.RequiresGrad ? prediction.GradBuffer() : default, dt = target.RequiresGrad ? target.GradBuffer() : default;
            for (int i = 0; i < n; i++)
            {
                float d = prediction.Data[i] - target.Data[i];
                float slope = g * Math.Clamp(d, -delta, delta);                // dℓ/dd: d inside, ±δ outside
                if (!dp.IsEmpty) dp[i] += slope;
                if (!dt.IsEmpty) dt[i] -= slope;
            }
        });
    }
}
