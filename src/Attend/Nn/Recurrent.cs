// nn.RNN (tanh) / nn.LSTM / nn.GRU, batch_first, multi-layer, optionally bidirectional, with PyTorch's parameter
// names (weight_ih_l{l}[_reverse], weight_hh_l{l}[_reverse], bias_ih_l{l}[_reverse], bias_hh_l{l}[_reverse]) and gate
// orders (LSTM i, f, g, o; GRU r, z, n). Variable lengths behave like a packed sequence: steps at or beyond a
// sequence's length leave its state unchanged and output zeros, so the reverse direction starts at the last real
// token and h_n holds each sequence's final real state.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Tensors;

namespace Attend.Nn;

/// <summary>The recurrent cell.</summary>
[JsonConverter(typeof(Attend.Text.SnakeCaseEnums))]
public enum CellType
{
    /// <summary>h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).</summary>
    RnnTanh,
    Lstm,
    Gru,
}

/// <summary>Outputs of a recurrent layer: (B, T, D·H), and final states (L·D, B, H) (cell state for LSTM only).</summary>
public readonly record struct RecurrentResult(Tensor Output, Tensor HiddenN, Tensor? CellN);

/// <summary>A multi-layer, optionally bidirectional RNN/LSTM/GRU.</summary>
public sealed class Recurrent : Module
{
    private readonly Tensor[] _wih, _whh, _bih, _bhh; // indexed layer * D + direction

    public Recurrent(CellType cell, int inputSize, int hiddenSize, Rng rng, int numLayers = 1, bool bidirectional = false)
    {
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Directions = bidirectional ? 2 : 1;
        int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
        float bound = 1f / MathF.Sqrt(hiddenSize);
        int n = numLayers * Directions;
        (_wih, _whh, _bih, _bhh) = (new Tensor[n], new Tensor[n], new Tensor[n], new Tensor[n]);
        for (int l = 0; l < numLayers; l++)
        {
            for (int d = 0; d < Directions; d++)
            {
                string suffix = $"_l{l}" + (d == 1 ? "_reverse" : "");
                int inSize = l == 0 ? inputSize : hiddenSize * Directions, i = l * Directions + d;
                _wih[i] = Parameter("weight_ih" + suffix, Tensor.Uniform(rng, -bound, bound, gates * hiddenSize, inSize));
                _whh[i] = Parameter("weight_hh" + suffix, Tensor.Uniform(rng, -bound, bound, gates * hiddenSize, hiddenSize));
                _bih[i] = Parameter("bias_ih" + suffix, Tensor.Uniform(rng, -bound, bound, gates * hiddenSize));
                _bhh[i] = Parameter("bias_hh" + suffix, Tensor.Uniform(rng, -bound, bound, gates * hiddenSize));
            }
        }
    }

    public CellType Cell { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public int Directions { get; }

    /// <summary>
    /// x: (B, T, in); h0, c0: (L·D, B, H) or null for zeros; lengths: per-sequence lengths (≤ T) or null for all T.
    /// </summary>
    public RecurrentResult Forward(Tensor x, Tensor? h0 = null, Tensor? c0 = null, IReadOnlyList<int>? lengths = null)
    {
        int b = x.Shape[0], t = x.Shape[1], h = HiddenSize;
        if (x.Shape[2] != InputSize) throw new ArgumentException($"recurrent input has {x.Shape[2]} features, expected {InputSize}");
        if (lengths is not null && (lengths.Count != b || lengths.Any(len => len < 0 || len > t)))
            throw new ArgumentException($"lengths must be {b} values in [0, {t}]");
        var valid = lengths is null ? null : Enumerable.Range(0, t).Select(step => new Mask(lengths.Select(len => step < len).ToArray(), new Shape(b, 1))).ToArray();
        var hN = new List<Tensor>();
        var cN = new List<Tensor>();
        var input = x;
        for (int l = 0; l < NumLayers; l++)
        {
            var outs = new List<Tensor>();
            for (int d = 0; d < Directions; d++)
            {
                int i = l * Directions + d;
                var hState = h0 is null ? Tensor.Zeros(b, h) : Ops.Reshape(Ops.Slice(h0, 0, i, 1), b, h);
                Tensor? cState = Cell != CellType.Lstm ? null : c0 is null ? Tensor.Zeros(b, h) : Ops.Reshape(Ops.Slice(c0, 0, i, 1), b, h);
                var projected = Ops.Add(Ops.MatMul(input, _wih[i], transposeB: true), _bih[i]); // (B, T, G·H)
                var steps = new Tensor[t];
                for (int k = 0; k < t; k++)
                {
                    int step = d == 0 ? k : t - 1 - k;
                    var xp = Ops.Reshape(Ops.Slice(projected, 1, step, 1), b, -1);             // (B, G·H)
                    var (hNew, cNew) = CellStep(xp, hState, cState, i);
                    if (valid is not null)
                    {
                        hNew = Ops.Where(valid[step], hNew, hState);
                        if (cNew is not null) cNew = Ops.Where(valid[step], cNew, cState!);
                        steps[step] = Ops.Where(valid[step], hNew, Tensor.Zeros(b, h));
                    }
                    else
                    {
                        steps[step] = hNew;
                    }
                    (hState, cState) = (hNew, cNew);
                }
                outs.Add(Ops.Reshape(Ops.Concat(steps, 1), b, t, h));                       // (B, T, H)
                hN.Add(Ops.Reshape(hState, 1, b, h));
                if (cState is not null) cN.Add(Ops.Reshape(cState, 1, b, h));
            }
            input = Directions == 1 ? outs[0] : Ops.Concat(outs, -1);                        // (B, T, D·H)
        }
        return new RecurrentResult(input, Ops.Concat(hN, 0), Cell == CellType.Lstm ? Ops.Concat(cN, 0) : null);
    }

    /// <summary>
    /// One time step of a one-layer, one-direction RNN used as a cell (an attention decoder's): x: (B, in), h: (B, H),
    /// c: (B, H) for LSTM, else null → (h', c'). Same gates and weights as <see cref="Forward"/>.
    /// </summary>
    public (Tensor H, Tensor? C) Step(Tensor x, Tensor h, Tensor? c = null)
    {
        if (NumLayers != 1 || Directions != 1) throw new InvalidOperationException($"Step needs a one-layer, one-direction RNN, this one has {NumLayers} layers and {Directions} directions");
        if ((Cell == CellType.Lstm) != (c is not null)) throw new ArgumentException(Cell == CellType.Lstm ? "an LSTM step needs a cell state" : "only an LSTM step takes a cell state");
        var xp = Ops.Add(Ops.MatMul(x, _wih[0], transposeB: true), _bih[0]); // (B, G·H)
        return CellStep(xp, h, c, 0);
    }

    /// <summary>One step. xp: x·W_ihᵀ + b_ih (B, G·H); h, c: (B, H).</summary>
    private (Tensor H, Tensor? C) CellStep(Tensor xp, Tensor h, Tensor? c, int i)
    {
        int hs = HiddenSize;
        var hp = Ops.Add(Ops.MatMul(h, _whh[i], transposeB: true), _bhh[i]); // (B, G·H)
        switch (Cell)
        {
            case CellType.Lstm:
            {
                var g = Ops.Split(Ops.Add(xp, hp), -1, hs, hs, hs, hs);
                var (ig, fg, gg, og) = (Ops.Sigmoid(g[0]), Ops.Sigmoid(g[1]), Ops.Tanh(g[2]), Ops.Sigmoid(g[3]));
                var cNew = Ops.Add(Ops.Mul(fg, c!), Ops.Mul(ig, gg));
                return (Ops.Mul(og, Ops.Tanh(cNew)), cNew);
            }
            case CellType.Gru:
            {
                var xg = Ops.Split(xp, -1, hs, hs, hs);
                var hg = Ops.Split(hp, -1, hs, hs, hs);
                var r = Ops.Sigmoid(Ops.Add(xg[0], hg[0]));
                var z = Ops.Sigmoid(Ops.Add(xg[1], hg[1]));
                var n = Ops.Tanh(Ops.Add(xg[2], Ops.Mul(r, hg[2])));
                return (Ops.Add(n, Ops.Mul(z, Ops.Sub(h, n))), null); // (1 − z)·n + z·h
            }
            default:
                return (Ops.Tanh(Ops.Add(xp, hp)), null);
        }
    }
}
