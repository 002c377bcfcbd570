// A BERT-family encoder from an ONNX graph as PyTorch's exporter writes it (torch.onnx.export of a Hugging Face
// BertModel, e.g. sentence-transformers' all-MiniLM-L6-v2): the weights come out under BertModel's names, the sizes
// from the weights, and what the weights do not say from the graph:
//   - linear weights exported under bare numbers, stored (in, out): the MatMul that reads one is followed by the Add
//     of the bias that carries the name, so weight = that name with "bias" → "weight", transposed to (out, in);
//   - the head width from the attention's scale (the Div of q·kᵀ by √D), LayerNorm's eps from the constant added to
//     the variance, the activation from Erf (gelu) or Tanh with a cube (gelu_new) or Relu.
// An operator outside what such a graph holds is refused by name: the graph may compute something else.
using Attend.Serialization.Onnx;

namespace Attend.Models;

/// <summary>Reads BERT encoders from ONNX files.</summary>
public static class BertOnnxImport
{
    private static readonly HashSet<string> KnownOps =
    [
        "Constant", "Unsqueeze", "Squeeze", "Cast", "Sub", "Mul", "Shape", "Gather", "Add", "Slice", "ReduceMean", "Pow",
        "Sqrt", "Div", "MatMul", "Concat", "Reshape", "Transpose", "Softmax", "Erf", "Gemm", "Tanh", "Relu", "Identity",
        "Expand", "Equal", "Where", "ConstantOfShape", "LayerNormalization", "Range", "Neg", "Not", "Less",
    ];

    /// <summary>The encoder in <paramref name="path"/>; an unsupported or malformed graph raises <see cref="OnnxFormatException"/>.</summary>
    public static BertModel Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException(path);
        if (info.Length > int.MaxValue) throw new OnnxFormatException("over 2 GB: ONNX files that large keep their weights outside, which is not supported");
        var graph = OnnxModel.Parse(File.ReadAllBytes(path));
        return FromGraph(graph);
    }

    /// <summary>The encoder a parsed graph computes.</summary>
    public static BertModel FromGraph(OnnxModel graph)
    {
        if (graph.Nodes.FirstOrDefault(n => !KnownOps.Contains(n.OpType)) is { } odd)
            throw new OnnxFormatException($"operator {odd.OpType} (node '{odd.Name}') is not part of a BERT encoder graph as exported by PyTorch; this graph is not supported");
        var weights = Weights(graph);
        if (!weights.TryGetValue("embeddings.word_embeddings.weight", out var words) || words.Shape.Length != 2 || words.Shape.Any(d => d > int.MaxValue))
            throw new OnnxFormatException("no embeddings.word_embeddings.weight: not a BERT-family encoder (or its names were not kept)");
        int hidden = (int)words.Shape[1];
        int Rows(string name) => weights.TryGetValue(name, out var t) && t.Shape.Length >= 1 && t.Shape[0] <= int.MaxValue ? (int)t.Shape[0]
            : throw new OnnxFormatException($"tensor '{name}' is missing or has no rows");
        int layers = weights.Keys.Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.TryParse(k.Split('.')[2], out int i) && i < 1000 ? i : throw new OnnxFormatException($"tensor '{k}': expected encoder.layer.<number>.…"))
            .DefaultIfEmpty(-1).Max() + 1;
        if (layers < 1) throw new OnnxFormatException("no encoder.layer.* tensors: not a BERT-family encoder");
        int headDim = HeadDim(graph);
        if (headDim < 1 || hidden % headDim != 0) throw new OnnxFormatException($"the attention scale gives a head width of {headDim}, which does not divide the width {hidden}");
        var config = new BertConfig
        {
            VocabSize = (int)words.Shape[0],
            HiddenSize = hidden,
            NumLayers = layers,
            NumHeads = hidden / headDim,
            IntermediateSize = Rows("encoder.layer.0.intermediate.dense.bias"),
            MaxPositions = Rows("embeddings.position_embeddings.weight"),
            TypeVocabSize = Rows("embeddings.token_type_embeddings.weight"),
            LayerNormEps = Epsilon(graph),
            Activation = ActivationOf(graph),
            AddPoolingLayer = weights.ContainsKey("pooler.dense.weight"),
        };
        if (config.Problem() is { } problem) throw new OnnxFormatException("the graph's sizes are inconsistent: " + problem);
        var model = new BertModel(config, new Rng(0));
        var used = new HashSet<string>();
        foreach (var (name, t) in model.NamedState())
        {
            if (!weights.TryGetValue(name, out var w)) throw new OnnxFormatException($"tensor '{name}' {t.Shape} is missing from the graph");
            if (w.Size != t.Size || w.Shape.Length != t.Shape.Rank || w.Shape.Where((d, i) => d != t.Shape[i]).Any())
                throw new OnnxFormatException($"tensor '{name}': shape ({string.Join(", ", w.Shape)}), expected {t.Shape}");
            w.Floats!.CopyTo(t.Data, 0);
            used.Add(name);
        }
        var extra = weights.Keys.Where(k => !used.Contains(k)).ToList();
        if (extra.Count > 0) throw new OnnxFormatException($"tensor(s) a BertModel does not have: {string.Join(", ", extra.Take(5))}");
        return model;
    }

    // float initializers by BertModel name: named ones as they are ("bert." dropped), numbered linear weights named by
    // the bias added after their MatMul (and transposed), a Gemm's weight by its bias when transB = 0
    private static Dictionary<string, OnnxTensor> Weights(OnnxModel graph)
    {
        var result = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        static string Bare(string name) => name.StartsWith("bert.", StringComparison.Ordinal) ? name[5..] : name;
        var consumers = graph.Nodes.SelectMany(n => n.Inputs.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node);
        foreach (var node in graph.Nodes)
        {
            if (node.OpType is not ("MatMul" or "Gemm") || node.Inputs.Length < 2 || !graph.Initializers.TryGetValue(node.Inputs[1], out var w) || w.Floats is null) continue;
            string? bias = node.OpType == "Gemm" && node.Inputs.Length > 2 ? node.Inputs[2]
                : consumers[node.Outputs[0]].Where(n => n.OpType == "Add").SelectMany(n => n.Inputs).FirstOrDefault(i => i != node.Outputs[0] && graph.Initializers.ContainsKey(i));
            if (bias is null || !bias.EndsWith(".bias", StringComparison.Ordinal))
                throw new OnnxFormatException($"the weight '{w.Name}' read by {node.OpType} node '{node.Name}' is not followed by a named bias, so its layer is unknown");
            bool stored = node.OpType == "Gemm" && node.Attributes.GetValueOrDefault("transB") == 1;   // already (out, in)
            result[Bare(bias[..^4] + "weight")] = stored ? w with { Name = bias[..^4] + "weight" } : Transpose(w, bias[..^4] + "weight");
        }
        foreach (var (name, t) in graph.Initializers)
        {
            string bare = Bare(name);
            if (!bare.Contains('.') || bare.EndsWith("position_ids", StringComparison.Ordinal) || result.ContainsKey(bare)) continue;   // numbered or a buffer
            if (t.Floats is null) throw new OnnxFormatException($"tensor '{name}' is not float32");
            result[bare] = t;
        }
        return result;
    }

    private static OnnxTensor Transpose(OnnxTensor w, string name)
    {
        if (w.Shape.Length != 2) throw new OnnxFormatException($"the weight '{w.Name}' of {name} has {w.Shape.Length} dimensions, expected 2");
        int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
        var t = new float[w.Floats!.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = w.Floats[i * cols + j];
        return new OnnxTensor(name, [cols, rows], t, null);
    }

    // D from the attention scale: q·kᵀ (a MatMul of two computed tensors) divided by √D, or multiplied by 1/√D
    private static int HeadDim(OnnxModel graph)
    {
        var producers = graph.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var node in graph.Nodes.Where(n => n.OpType is "Div" or "Mul" && n.Inputs.Length == 2))
        {
            if (!producers.TryGetValue(node.Inputs[0], out var source) || source.OpType != "MatMul" || source.Inputs.Any(graph.Initializers.ContainsKey)) continue;
            if (Scalar(graph, node.Inputs[1]) is not double c || c <= 0) continue;
            double d = node.OpType == "Div" ? c * c : 1 / (c * c);
            return (int)Math.Round(d);
        }
        throw new OnnxFormatException("could not find the attention scale (q·kᵀ / √d): the number of heads is unknown");
    }

    // LayerNorm's eps: the LayerNormalization attribute, or the constant added to the mean of squares before Sqrt
    private static float Epsilon(OnnxModel graph)
    {
        if (graph.Nodes.FirstOrDefault(n => n.OpType == "LayerNormalization") is { } ln) return (float)ln.Attributes.GetValueOrDefault("epsilon", 1e-5);
        var producers = graph.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var sqrt in graph.Nodes.Where(n => n.OpType == "Sqrt"))
            if (producers.TryGetValue(sqrt.Inputs[0], out var add) && add.OpType == "Add" && add.Inputs.Select(i => Scalar(graph, i)).FirstOrDefault(v => v is not null) is double eps)
                return (float)eps;
        throw new OnnxFormatException("could not find LayerNorm's epsilon (a constant added before Sqrt)");
    }

    private static BertActivation ActivationOf(OnnxModel graph)
    {
        if (graph.Nodes.Any(n => n.OpType == "Erf")) return BertActivation.Gelu;
        if (graph.Nodes.Any(n => n.OpType == "Pow" && Scalar(graph, n.Inputs[1]) == 3)) return BertActivation.GeluNew;
        if (graph.Nodes.Any(n => n.OpType == "Relu")) return BertActivation.Relu;
        throw new OnnxFormatException("could not tell the feed-forward activation (no Erf, tanh-GELU or Relu)");
    }

    private static double? Scalar(OnnxModel graph, string name)
    {
        var t = graph.Constants.GetValueOrDefault(name) ?? graph.Initializers.GetValueOrDefault(name);
        if (t is null || t.Size != 1) return null;
        return t.Floats is { } f ? f[0] : t.Ints is { } i ? i[0] : null;
    }
}
