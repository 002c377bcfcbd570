// The model registry: every architecture saves and loads through one path, a directory of one kind asked for as
// another is refused naming the kinds that would do, and each kind declares what it serves.
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class ModelRegistryTests
{
    private static readonly Dictionary<string, JsonObject> NoSections = [];

    // one small model of every kind, with the sections its directory needs
    public static TheoryData<string> KindNames() => [.. ModelRegistry.Kinds.Select(k => k.Name)];

    private static (Module Model, Dictionary<string, JsonObject> Sections) Tiny(string kind) => kind switch
    {
        "transformer-seq2seq" => (new Seq2SeqTransformer(new Seq2SeqConfig { VocabSize = 12, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 16 }, new Rng(1)), NoSections),
        "rnn-seq2seq" => (new RnnSeq2Seq(new RnnSeq2SeqConfig { VocabSize = 12, EmbeddingDim = 6, EncoderHidden = 5, DecoderHidden = 7, AttentionDim = 4 }, new Rng(1)), NoSections),
        "decoder-lm" => (new DecoderLm(new DecoderLmConfig { VocabSize = 12, Context = 8, DModel = 8, NumHeads = 2, NumLayers = 1 }, new Rng(1)), NoSections),
        "text-classifier" => (new TextClassifier(new TextClassifierConfig { Labels = ["a", "b"], Bow = new BagOfNgramsConfig { VocabSize = 12, BigramBuckets = 16 } }, new Rng(1)),
            new() { ["text"] = new JsonObject { ["max_tokens"] = 20 } }),
        "tagger" => (new Tagger(new TaggerConfig { Labels = ["N", "V"], Encoder = new SequenceEncoderConfig { Kind = EncoderKind.Gru, VocabSize = 12, EmbedDim = 6, HiddenSize = 4 } }, new Rng(1)), NoSections),
        "forecaster" => (Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Dlinear, Channels = 2, Lookback = 8, Horizon = 3, MovingAverage = 3 }, new Rng(1)),
            new() { ["series"] = new JsonObject() }),
        "bert" => (new BertModel(TinyBert, new Rng(1)), NoSections),
        "bert-classifier" => (new BertClassifier(TinyBert with { Id2Label = new() { ["0"] = "no", ["1"] = "yes" } }, new Rng(1)), NoSections),
        _ => throw new ArgumentException(kind),
    };

    private static readonly BertConfig TinyBert = new() { VocabSize = 12, HiddenSize = 8, NumLayers = 1, NumHeads = 2, IntermediateSize = 16, MaxPositions = 10 };

    [Theory]
    [MemberData(nameof(KindNames))]
    public void EveryKindRoundTripsThroughOnePath(string name)
    {
        var (model, sections) = Tiny(name);
        string dir = Directory.CreateTempSubdirectory("attend-registry-").FullName;
        ModelRegistry.Save(dir, model, sections: sections);
        Assert.Equal(name, ModelDirectory.ReadHeader(dir).Architecture);
        var loaded = ModelRegistry.Load<Module>(dir);
        Assert.Equal(name, loaded.Kind.Name);
        Assert.IsType(model.GetType(), loaded.Model);
        Assert.Equal(model.NamedState().Select(s => (s.Name, s.Tensor.Data)), loaded.Model.NamedState().Select(s => (s.Name, s.Tensor.Data)));
        Assert.Equal(loaded.Kind.ConfigOf(model).ToJsonString(), loaded.Kind.ConfigOf(loaded.Model).ToJsonString());
    }

    [Fact]
    public void ADirectoryOfAnotherKindIsRefusedNamingTheKindsThatWouldDo()
    {
        var (lm, _) = Tiny("decoder-lm");
        string dir = Directory.CreateTempSubdirectory("attend-registry-").FullName;
        ModelRegistry.Save(dir, lm);
        var e = Assert.Throws<DataFormatException>(() => ModelRegistry.Load<Seq2SeqModel>(dir));
        Assert.Contains("config.json", e.Message);
        Assert.Contains("\"decoder-lm\" is a model to generate; expected \"transformer-seq2seq\" or \"rnn-seq2seq\"", e.Message);
        File.WriteAllText(ModelDirectory.ConfigPath(dir), File.ReadAllText(ModelDirectory.ConfigPath(dir)).Replace("decoder-lm", "gpt-9"));
        Assert.Contains("unknown \"gpt-9\"", Assert.Throws<DataFormatException>(() => ModelRegistry.Load<Module>(dir)).Message);
    }

    [Fact]
    public void ASectionTheKindDoesNotDeclareIsRefusedBothWays()
    {
        var (model, sections) = Tiny("text-classifier");
        string dir = Directory.CreateTempSubdirectory("attend-registry-").FullName;
        Assert.Throws<ArgumentException>(() => ModelRegistry.Save(dir, model));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Save(dir, model, sections: new Dictionary<string, JsonObject> { ["text"] = new(), ["series"] = new() }));
        ModelRegistry.Save(dir, model, sections: sections);
        var root = JsonNode.Parse(File.ReadAllText(ModelDirectory.ConfigPath(dir)))!.AsObject();
        root.Remove("text");
        File.WriteAllText(ModelDirectory.ConfigPath(dir), root.ToJsonString());
        Assert.Contains("field 'text': expected an object", Assert.Throws<DataFormatException>(() => ModelRegistry.Load<TextClassifier>(dir)).Message);
        root["text"] = new JsonObject();
        root["series"] = new JsonObject();
        File.WriteAllText(ModelDirectory.ConfigPath(dir), root.ToJsonString());
        Assert.Contains("unknown field 'series'", Assert.Throws<DataFormatException>(() => ModelRegistry.Load<TextClassifier>(dir)).Message);
    }

    [Fact]
    public void WeightsMayBeLeftOutOnlyByAModelWithoutParameters()
    {
        string dir = Directory.CreateTempSubdirectory("attend-registry-").FullName;
        var repeat = Forecaster.Create(new ForecasterConfig { Kind = ForecasterKind.Repeat, Channels = 1, Lookback = 4, Horizon = 2 }, new Rng(1));
        ModelRegistry.Save(dir, repeat, sections: new Dictionary<string, JsonObject> { ["series"] = new() });
        File.Delete(ModelDirectory.WeightsPath(dir));
        Assert.Equal(ForecasterKind.Repeat, ModelRegistry.Load<Forecaster>(dir).Model.Config.Kind);
        var (dlinear, sections) = Tiny("forecaster");
        ModelRegistry.Save(dir, dlinear, sections: sections);
        File.Delete(ModelDirectory.WeightsPath(dir));
        Assert.Contains("model.safetensors", Assert.Throws<DataFormatException>(() => ModelRegistry.Load<Forecaster>(dir)).Message);
    }

    [Fact]
    public void EachUseIsServedByTheKindsThatDeclareIt()
    {
        Assert.Equal(["transformer-seq2seq", "rnn-seq2seq"], ModelRegistry.Serving(ModelUse.Translate).Select(k => k.Name));
        Assert.Equal(["decoder-lm"], ModelRegistry.Serving(ModelUse.Generate).Select(k => k.Name));
        Assert.All(Enum.GetValues<ModelUse>(), use => Assert.NotEmpty(ModelRegistry.Serving(use)));
        Assert.Equal(ModelRegistry.Kinds.Count, ModelRegistry.Kinds.Select(k => k.Name).Distinct().Count());
    }
}
