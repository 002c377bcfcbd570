// Attention as the lecture material teaches it: a score for every (query, key) pair, masked positions set to −inf,
// a softmax over keys, and the weighted sum of values. Masks use PyTorch's meaning: true = masked (padding or not
// allowed). A key-padding mask (B, Tk) and an attention mask (Tq, Tk) combine with logical OR.
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>Attention weights and the context they produce.</summary>
public readonly record struct AttentionResult(Tensor Context, Tensor Weights, Tensor Scores);

/// <summary>Attention functions and mask helpers.</summary>
public static class Attention
{
    /// <summary>
    /// The combined mask for (B, Tq, Tk) scores: key padding (B, Tk) OR attention mask (Tq, Tk); either may be null.
    /// Returns null when both are, the attention mask itself when only it is given (it broadcasts), else (B, Tq, Tk).
    /// </summary>
    public static Mask? Combine(Mask? keyPadding, Mask? attnMask, int batch, int tq, int tk)
    {
        if (keyPadding is null) return attnMask;
        if (keyPadding.Shape != new Shape(batch, tk)) throw new ArgumentException($"key padding mask must be (B, Tk) = ({batch}, {tk}), got {keyPadding.Shape}");
        if (attnMask is not null && attnMask.Shape != new Shape(tq, tk)) throw new ArgumentException($"attention mask must be (Tq, Tk) = ({tq}, {tk}), got {attnMask.Shape}");
        var data = new bool[batch * tq * tk];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < tq; i++)
                for (int j = 0; j < tk; j++)
                    data[(b * tq + i) * tk + j] = keyPadding.Data[b * tk + j] || (attnMask?.Data[i * tk + j] ?? false);
        return new Mask(data, new Shape(batch, tq, tk));
    }

    /// <summary>
    /// softmax(scores with −inf where masked) over the last axis, then weights·values.
    /// scores: (..., Tq, Tk), values: (..., Tk, Dv), mask broadcastable to scores → context (..., Tq, Dv).
    /// </summary>
    public static AttentionResult Apply(Tensor scores, Tensor values, Mask? mask, Dropout? dropout = null)
    {
        var masked = mask is null ? scores : Ops.MaskedFill(scores, mask, float.NegativeInfinity);
        var weights = Ops.Softmax(masked);
        var used = dropout is null ? weights : dropout.Forward(weights);
        return new AttentionResult(Ops.MatMul(used, values), weights, scores);
    }

    /// <summary>
    /// Scaled dot-product attention: softmax(q·kᵀ/√d_k) · v. q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v).
    /// </summary>
    /// <remarks>
    /// The scale, mask and softmax run as one fused op (<see cref="Ops.ScaledMaskedSoftmax"/>), so the result's
    /// <c>Scores</c> are the unscaled products q·kᵀ (B, ..., Tq, Tk).
    /// </remarks>
    public static AttentionResult ScaledDotProduct(Tensor q, Tensor k, Tensor v, Mask? mask = null, Dropout? dropout = null)
    {
        var products = Ops.MatMul(q, k, transposeB: true);                                   // (..., Tq, Tk)
        var weights = Ops.ScaledMaskedSoftmax(products, 1f / MathF.Sqrt(q.Shape[-1]), mask);
        var used = dropout is null ? weights : dropout.Forward(weights);
        return new AttentionResult(Ops.MatMul(used, v), weights, products);
    }

    /// <summary>Dot-product attention without scaling (Luong "dot").</summary>
    public static AttentionResult Dot(Tensor q, Tensor k, Tensor v, Mask? mask = null) =>
        Apply(Ops.MatMul(q, k, transposeB: true), v, mask);

    /// <summary>
    /// Content-based (cosine) attention: β · (q/‖q‖)·(k/‖k‖) (Graves et al. 2014). β: a one-element tensor.
    /// <paramref name="eps"/> is added to each norm (0, as the golden case, leaves a zero vector undefined; the RNN
    /// translator's padded encoder states are zero, so it passes a small one).
    /// </summary>
    public static AttentionResult Cosine(Tensor q, Tensor k, Tensor v, Tensor beta, Mask? mask = null, float eps = 0f)
    {
        var scores = Ops.Mul(Ops.MatMul(Normalize(q, eps), Normalize(k, eps), transposeB: true), beta);
        return Apply(scores, v, mask);
    }

    /// <summary>x / (‖x‖ + eps) over the last axis.</summary>
    private static Tensor Normalize(Tensor x, float eps)
    {
        var norm = Ops.Sqrt(Ops.Sum(Ops.Mul(x, x), -1, keepDim: true));
        return Ops.Div(x, eps == 0f ? norm : Ops.AddScalar(norm, eps));
    }
}

/// <summary>Multiplicative ("general") attention of Luong et al.: score(q, h) = qᵀ W h, W: nn.Linear(dh, dq, bias=False).</summary>
public sealed class GeneralAttention : Module
{
    public GeneralAttention(int queryDim, int keyDim, Rng rng) => W = Child("W", new Linear(keyDim, queryDim, rng, bias: false));

    public Linear W { get; }

    /// <summary>query: (B, Tq, dq), keys: (B, Tk, dh), values: (B, Tk, dv) (default: the keys).</summary>
    public AttentionResult Forward(Tensor query, Tensor keys, Mask? mask = null, Tensor? values = null) =>
        Attention.Apply(Ops.MatMul(query, W.Forward(keys), transposeB: true), values ?? keys, mask);
}

/// <summary>Additive ("concat") attention of Bahdanau et al.: score(q, h) = vᵀ tanh(W₁q + W₂h), no biases.</summary>
public sealed class AdditiveAttention : Module
{
    public AdditiveAttention(int queryDim, int keyDim, int attentionDim, Rng rng)
    {
        W1 = Child("W1", new Linear(queryDim, attentionDim, rng, bias: false));
        W2 = Child("W2", new Linear(keyDim, attentionDim, rng, bias: false));
        V = Child("v", new Linear(attentionDim, 1, rng, bias: false));
    }

    public Linear W1 { get; }
    public Linear W2 { get; }
    public Linear V { get; }

    /// <summary>query: (B, Tq, dq), keys: (B, Tk, dh), values: (B, Tk, dv) (default: the keys).</summary>
    public AttentionResult Forward(Tensor query, Tensor keys, Mask? mask = null, Tensor? values = null)
    {
        int b = query.Shape[0], tq = query.Shape[1], tk = keys.Shape[1];
        var wq = Ops.Reshape(W1.Forward(query), b, tq, 1, -1);                 // (B, Tq, 1, da)
        var wh = Ops.Reshape(W2.Forward(keys), b, 1, tk, -1);                  // (B, 1, Tk, da)
        var scores = Ops.Reshape(V.Forward(Ops.Tanh(Ops.Add(wq, wh))), b, tq, tk); // (B, Tq, Tk)
        return Attention.Apply(scores, values ?? keys, mask);
    }
}

/// <summary>
/// Location-based attention of Luong et al.: the weights depend on the query alone, a = softmax(W_a q) over the first
/// Tk of <paramref name="maxKeys"/> positions.
/// </summary>
public sealed class LocationAttention : Module
{
    public LocationAttention(int queryDim, int maxKeys, Rng rng) => W = Child("W", new Linear(queryDim, maxKeys, rng, bias: false));

    public Linear W { get; }

    /// <summary>query: (B, Tq, dq), values: (B, Tk, dv) with Tk ≤ maxKeys.</summary>
    public AttentionResult Forward(Tensor query, Tensor values, Mask? mask = null)
    {
        int tk = values.Shape[1];
        if (tk > W.Weight.Shape[0]) throw new ArgumentException($"location attention covers {W.Weight.Shape[0]} positions, got {tk} keys");
        var scores = Ops.Slice(W.Forward(query), -1, 0, tk); // (B, Tq, Tk)
        return Attention.Apply(scores, values, mask);
    }
}
