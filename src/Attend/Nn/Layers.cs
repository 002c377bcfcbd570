// Basic layers with PyTorch's parameter names, shapes and default initialisation: Linear (weight (out, in)),
// Embedding (weight (V, C), padding_idx row zeroed), LayerNorm (weight, bias) and Dropout.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Kernels.Blas;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>y = x·Wᵀ + b. x: (..., in) → (..., out). Init: U(±1/√in) for weight and bias (torch.nn.Linear).</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
        : this(Tensor.Uniform(rng, -1f / MathF.Sqrt(inFeatures), 1f / MathF.Sqrt(inFeatures), outFeatures, inFeatures),
            bias ? Tensor.Uniform(rng, -1f / MathF.Sqrt(inFeatures), 1f / MathF.Sqrt(inFeatures), outFeatures) : null)
    {
    }

    /// <summary>A layer over existing tensors: weight (out, in), bias (out) or null. A weight may be shared (tied embeddings).</summary>
    public Linear(Tensor weight, Tensor? bias)
    {
        Weight = Parameter("weight", weight);
        Bias = bias is null ? null : Parameter("bias", bias);
    }

    /// <summary>(out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>(out) or null.</summary>
    public Tensor? Bias { get; }

    // Wᵀ packed for the GEMM while prepared for inference (Module.PackForInference)
    private PackedMatrix? _packed;

    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias, GradMode.IsEnabled ? null : _packed);

    /// <summary>
    /// activation(x·Wᵀ + b): with packed weights and no gradients, applied by the GEMM to each tile as it is stored
    /// (one pass over the output instead of two); otherwise the layer, then the activation op.
    /// </summary>
    public Tensor Forward(Tensor x, GemmActivation activation)
    {
        if (!GradMode.IsEnabled && _packed is { } packed) return Ops.Linear(x, Weight, Bias, packed, activation);
        var y = Ops.Linear(x, Weight, Bias);
        return activation switch
        {
            GemmActivation.None => y,
            GemmActivation.GeluErf => Ops.Gelu(y),
            GemmActivation.GeluTanh => Ops.Gelu(y, tanhApproximation: true),
            GemmActivation.Relu => Ops.Relu(y),
            GemmActivation.Silu => Ops.Silu(y),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
        };
    }

    private protected override void PackWeights(bool pack) =>
        _packed = pack && Weight.Size > 0 ? Gemm.Pack(true, Weight.Shape[1], Weight.Shape[0], Weight.Data, Weight.Shape[1]) : null;
}

/// <summary>Lookup of rows of a (V, C) table. Init N(0, 1) with the padding row zero (torch.nn.Embedding).</summary>
public sealed class Embedding : Module
{
    public Embedding(int vocab, int dim, Rng rng, int? paddingIdx = null)
    {
        Weight = Parameter("weight", Tensor.Normal(rng, 0f, 1f, vocab, dim));
        PaddingIdx = paddingIdx;
        if (paddingIdx is int p) Weight.Data.AsSpan(p * dim, dim).Clear();
    }

    /// <summary>(V, C).</summary>
    public Tensor Weight { get; }

    /// <summary>The id whose row gets no gradient.</summary>
    public int? PaddingIdx { get; }

    /// <summary>ids with dims <paramref name="dims"/> → (dims..., C).</summary>
    public Tensor Forward(int[] ids, params int[] dims) => Ops.Embedding(Weight, ids, dims, PaddingIdx);
}

/// <summary>Layer normalisation over the last axis with learned scale and shift (ones and zeros at init).</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(int dim, float eps = 1e-5f)
    {
        Weight = Parameter("weight", Tensor.Ones(dim));
        Bias = Parameter("bias", Tensor.Zeros(dim));
        Eps = eps;
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public float Eps { get; }

    public Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);

    /// <summary>
    /// LayerNorm(x + residual): without gradients the sum is normalised row by row as it is made (one pass instead
    /// of two, and no tensor for the sum); with gradients the add, then the layer.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor residual) =>
        GradMode.IsEnabled ? Ops.LayerNorm(Ops.Add(x, residual), Weight, Bias, Eps) : Ops.AddLayerNorm(x, residual, Weight, Bias, Eps);
}

/// <summary>Inverted dropout, active only in training mode.</summary>
public sealed class Dropout(float p, Rng rng) : Module
{
    private Rng _rng = rng;

    public float P { get; } = p;

    public Tensor Forward(Tensor x) => Ops.Dropout(x, P, _rng, Training);

    /// <summary>
    /// In training mode, n draws that are true with probability <see cref="P"/> (which items to drop, e.g. whole words in
    /// word dropout); all false in eval mode. Drawn from this module's stream, so the trainer's reseeding covers them.
    /// </summary>
    public bool[] DrawDrops(int n)
    {
        var drops = new bool[n];
        if (!Training || P == 0f) return drops;
        for (int i = 0; i < n; i++) drops[i] = _rng.NextFloat() < P;
        return drops;
    }

    /// <summary>Restarts the mask stream from <paramref name="seed"/> (the trainer does this every step, so a resumed run draws the same masks).</summary>
    public void Reseed(ulong seed) => _rng = new Rng(seed);
}

/// <summary>The activation of a feed-forward block (configs: "relu", "gelu", "gelu_tanh", "silu").</summary>
[JsonConverter(typeof(Attend.Text.SnakeCaseEnums))]
public enum Activation
{
    Relu,
    /// <summary>Exact GELU, x·Φ(x) (erf form).</summary>
    Gelu,
    /// <summary>GELU's tanh approximation (GPT-2's gelu_new): 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    GeluTanh,
    /// <summary>SiLU, also called swish (Marian's activation): x·σ(x).</summary>
    Silu,
}

/// <summary>Position-wise feed-forward block FF(x) = linear2(dropout(act(linear1(x)))). x: (..., d) → (..., d).</summary>
public sealed class FeedForward : Module
{
    public FeedForward(int dModel, int dimFeedforward, Rng rng, Activation activation = Activation.Relu, float dropout = 0f)
    {
        Linear1 = Child("linear1", new Linear(dModel, dimFeedforward, rng));
        Linear2 = Child("linear2", new Linear(dimFeedforward, dModel, rng));
        Drop = Child("dropout", new Dropout(dropout, rng.Fork()));
        Act = activation;
    }

    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public Dropout Drop { get; }
    public Activation Act { get; }

    public Tensor Forward(Tensor x) => Apply(Linear1, Linear2, Act, Drop, x);

    /// <summary>linear2(dropout(act(linear1(x)))) — shared with the Transformer layers, which own their linear1/linear2.</summary>
    internal static Tensor Apply(Linear linear1, Linear linear2, Activation activation, Dropout dropout, Tensor x) =>
        linear2.Forward(dropout.Forward(linear1.Forward(x, Fused(activation))));

    /// <summary>ReLU, exact GELU, tanh GELU or SiLU.</summary>
    public static Tensor Activate(Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => Ops.Relu(x),
        Activation.Gelu => Ops.Gelu(x),
        Activation.GeluTanh => Ops.Gelu(x, tanhApproximation: true),
        Activation.Silu => Ops.Silu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    /// <summary>The same activation as a GEMM epilogue (applied to each tile when the layer's weights are packed).</summary>
    public static GemmActivation Fused(Activation activation) => activation switch
    {
        Activation.Relu => GemmActivation.Relu,
        Activation.Gelu => GemmActivation.GeluErf,
        Activation.GeluTanh => GemmActivation.GeluTanh,
        Activation.Silu => GemmActivation.Silu,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
