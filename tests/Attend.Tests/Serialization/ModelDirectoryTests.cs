// Model files: safetensors written by us read back bit-identically (and by our reader's validation), save → load of
// a model directory gives identical logits (tied and separate), the golden PyTorch state dict loads through the same
// path, and damaged directories fail with messages naming file and field.
using Attend.Models;
using System.Text.Json;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Tests.Serialization;

public class ModelDirectoryTests
{
    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "attend-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    [Fact]
    public void WriterRoundTripsEveryDtype()
    {
        var bytes = new SafeTensorsWriter()
            .Add("f", new[] { 1.5f, float.NegativeInfinity, -0f }, [3])
            .Add("i", new long[] { -7, 1L << 40 }, [1, 2])
            .Add("m", new[] { true, false }, [2])
            .Metadata("k", "v").ToBytes();
        var file = SafeTensorsFile.Parse(bytes, "mem");
        Assert.Equal([1.5f, float.NegativeInfinity, -0f], file.ReadFloats("f"));
        Assert.Equal([-7L, 1L << 40], file.ReadInts("i"));
        Assert.Equal([true, false], file.ReadBools("m"));
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal(0, (BitConverter.ToInt64(bytes, 0)) % 8);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveThenLoadGivesIdenticalLogits(bool tied)
    {
        var cfg = new Seq2SeqConfig { VocabSize = 11, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 2, DimFeedforward = 12, Dropout = 0f, TieEmbeddings = tied };
        var model = new Seq2SeqTransformer(cfg, new Rng(9));
        model.Eval();
        string dir = TempDir();
        ModelRegistry.Save(dir, model);
        var loaded = Assert.IsType<Seq2SeqTransformer>(ModelRegistry.Load<Seq2SeqModel>(dir).Model);
        int[] src = [3, 4, 5, 0], tgt = [1, 6, 7];
        Assert.Equal(model.Forward(src, 4, tgt, 3, 1).Data, loaded.Forward(src, 4, tgt, 3, 1).Data);
        Assert.Equal(tied, ReferenceEquals(loaded.Embedding.Weight, loaded.Generator.Weight));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    [Fact]
    public void GoldenTorchStateDictLoadsThroughTheSamePath()
    {
        var g = new GoldenCase("seq2seq_tied");
        var cfg = ModelDirectory.ParseConfig<Seq2SeqConfig>(System.Text.Json.Nodes.JsonNode.Parse(
            JsonSerializer.Serialize(new { vocab_size = 16, d_model = 32, nhead = 4, num_encoder_layers = 2, num_decoder_layers = 2, dim_feedforward = 64, dropout = 0.0, activation = "relu", layer_norm_eps = 1e-5, norm_first = false, tie_embeddings = true, generator_bias = true, pad_id = 0, bos_id = 1, eos_id = 2 })), "c.json", c => c.Problem());
        var model = new Seq2SeqTransformer(cfg, new Rng(0));
        var file = SafeTensorsFile.Load(Path.Combine(GoldenCase.Directory, "seq2seq_tied.safetensors"));
        var filtered = new FilteredParams(file).File;
        Assert.Contains("generator.weight", filtered.Entries.Keys); // stored twice, tied to embedding.weight
        ModelDirectory.LoadWeights(filtered, model, "w");
        model.Eval();
        var logits = model.Forward(g.Ints("input.src"), g.Shape("input.src")[1], g.Ints("input.tgt_in"), g.Shape("input.tgt_in")[1], g.Shape("input.src")[0]);
        g.AssertClose("output.logits", logits.Data);
    }

    [Theory]
    [InlineData("{\"format\": \"attend-model\", \"version\": 1, \"architecture\": \"transformer-seq2seq\", \"config\": {\"vocab_size\": 10, \"d_model\": 8, \"nhead\": 2, \"colour\": 1}}", "colour")]
    [InlineData("{\"format\": \"attend-model\", \"version\": 1, \"architecture\": \"transformer-seq2seq\", \"config\": {\"vocab_size\": 10, \"d_model\": 9, \"nhead\": 2}}", "multiple of nhead")]
    [InlineData("{\"format\": \"attend-model\", \"version\": 7}", "field 'version'")]
    [InlineData("{\"format\": \"attend-model\", \"version\": 1, \"architecture\": \"transformer-seq2seq\", \"config\": {\"vocab_size\": 10, \"activation\": \"swish\"}}", "expected one of relu, gelu, gelu_tanh, silu, got \"swish\"")]
    [InlineData("{\"format\": \"attend-model\", \"version\": 1, \"architecture\": \"transformer-seq2seq\", \"config\": {\"vocab_size\": 10, \"activation\": 1}}", "expected one of relu, gelu, gelu_tanh, silu, got number")]
    [InlineData("not json", "invalid JSON")]
    public void BadConfigNamesTheField(string json, string expected)
    {
        string dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
        var ex = Assert.Throws<DataFormatException>(() => ModelRegistry.Load<Seq2SeqModel>(dir));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void WrongShapedWeightsNameTheTensor()
    {
        var model = new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 11, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 12 }, new Rng(1));
        string dir = TempDir();
        ModelRegistry.Save(dir, model);
        var other = new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 12, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 12 }, new Rng(1));
        string dir2 = TempDir();
        ModelRegistry.Save(dir2, other);
        File.Copy(Path.Combine(dir2, "model.safetensors"), Path.Combine(dir, "model.safetensors"), overwrite: true);
        var ex = Assert.Throws<DataFormatException>(() => ModelRegistry.Load<Seq2SeqModel>(dir));
        Assert.Contains("tensor 'embedding.weight': shape (12, 8), expected (11, 8)", ex.Message);
    }

    /// <summary>The golden file's params with the "param." prefix removed, as a PyTorch state_dict file would hold them.</summary>
    private sealed class FilteredParams
    {
        public FilteredParams(SafeTensorsFile golden)
        {
            var w = new SafeTensorsWriter();
            foreach (var (name, e) in golden.Entries)
                if (name.StartsWith("param.", StringComparison.Ordinal)) w.Add(name["param.".Length..], golden.ReadFloats(name), e.Shape);
            File = SafeTensorsFile.Parse(w.ToBytes(), "state_dict.safetensors");
        }

        public SafeTensorsFile File { get; }
    }
}
