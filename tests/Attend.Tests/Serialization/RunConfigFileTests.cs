// Run configs: typed binding with snake_case keys, --set overrides at any depth, and errors that name the key.
using Attend.Serialization;
using Attend.Tasks.Translation;
using Attend.Text.Corpora;

namespace Attend.Tests.Serialization;

public class RunConfigFileTests
{
    private static string Write(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("attend-config-").FullName, "run.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void KeysBindAndOverridesApplyAtAnyDepth()
    {
        string path = Write("""{"task": "translation", "data": {"tsv": "pairs.txt"}, "optim": {"lr": 0.002, "betas": [0.9, 0.99]}}""");
        var cfg = RunConfigFile.Load<TranslationConfig>(path, ["train.max_minutes=5", "model.d_model=64", "tokenizer.type=char", "optim.betas=[0.8,0.9]"]);
        Assert.Equal(0.002f, cfg.Optim.Lr);
        Assert.Equal([0.8f, 0.9f], cfg.Optim.Betas);
        Assert.Equal(5, cfg.Train.MaxMinutes);
        Assert.Equal(64, cfg.Model.Transformer.DModel);
        Assert.Equal("char", cfg.Tokenizer.Type);
        Assert.Equal("pairs.txt", cfg.Data.Tsv);
        Assert.Null(cfg.Problem());
    }

    [Fact]
    public void AnUnknownKeyIsAnErrorNamingIt()
    {
        string path = Write("""{"optim": {"learning_rate": 0.1}}""");
        var e = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<TranslationConfig>(path, []));
        Assert.Contains("learning_rate", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AWrongTypeIsAnErrorNamingTheKey()
    {
        string path = Write("""{"train": {"max_steps": "many"}}""");
        var e = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<TranslationConfig>(path, []));
        Assert.Contains("max_steps", e.Message);
    }

    [Fact]
    public void AMalformedOverrideIsReported()
    {
        string path = Write("{}");
        Assert.Throws<DataFormatException>(() => RunConfigFile.Load<TranslationConfig>(path, ["no-equals-sign"]));
    }

    [Theory]
    [InlineData("""{"data": {"tsv": "x"}, "model": {"architecture": "lstm"}}""", "model.architecture")]
    [InlineData("""{"data": {"tsv": "x"}, "optim": {"schedule": "step"}}""", "optim.schedule")]
    [InlineData("""{"data": {"train_source": "x"}}""", "data:")]
    [InlineData("""{"data": {"tsv": "x"}, "tokenizer": {"type": "sentencepiece"}}""", "tokenizer.type")]
    public void ValidationNamesTheOffendingKey(string json, string key)
    {
        // an enum value that names no member is refused while reading; a value out of range, when validated
        string problem;
        try
        {
            problem = RunConfigFile.Load<TranslationConfig>(Write(json), []).Problem()!;
        }
        catch (DataFormatException e)
        {
            problem = e.Message;
        }
        Assert.Contains(key, problem);
    }

    [Fact]
    public void TheTranslationModelSectionIsTheChosenArchitecturesOwnConfig()
    {
        string path = Write("""{"data": {"tsv": "x"}, "model": {"d_model": 64, "nhead": 2, "activation": "gelu"}}""");
        var transformer = RunConfigFile.Load<TranslationConfig>(path, []).Model;
        Assert.Equal(TranslationArchitecture.Transformer, transformer.Architecture);
        Assert.Equal(TranslationModelConfig.TransformerDefaults with { DModel = 64, NumHeads = 2, Activation = Attend.Nn.Activation.Gelu }, transformer.Transformer);
        // switching the architecture by --set keeps the file usable: the Transformer's keys are then ignored
        var rnn = RunConfigFile.Load<TranslationConfig>(path, ["model.architecture=rnn", "model.cell=lstm"]);
        Assert.Equal(TranslationModelConfig.RnnDefaults with { Cell = Attend.Nn.CellType.Lstm }, rnn.Model.Rnn);
        Assert.Equal(int.MaxValue, rnn.Model.MaxTargetLength);
        // the resolved config is flat and holds the chosen architecture's keys only, and reads back the same
        string json = RunConfigFile.ToJson(rnn);
        Assert.Contains("\"cell\": \"lstm\"", json);
        var model = System.Text.Json.Nodes.JsonNode.Parse(json)!["model"]!.AsObject();
        Assert.False(model.ContainsKey("d_model"));
        Assert.False(model.ContainsKey("vocab_size"));
        Assert.Equal(json, RunConfigFile.ToJson(RunConfigFile.Load<TranslationConfig>(Write(json), [])));
        foreach (var (set, key) in new[] { ("model.vocab_size=9", "model.vocab_size"), ("model.colour=1", "model.colour"), ("model.architecture=lstm", "model.architecture"), ("model.cell=tanh", "model.cell") })
        {
            var e = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<TranslationConfig>(path, ["model.architecture=rnn", set]));
            Assert.Contains($"key '{key}'", e.Message);
        }
    }

    [Fact]
    public void ASectionGivenInPartKeepsTheTasksDefaultsForTheKeysItLeavesOut()
    {
        // tagging's defaults (max_tokens 2000, clip_norm 5) differ from the shared record's; a file that sets only the
        // rate keeps them, and the enums read from their snake_case names
        var cfg = RunConfigFile.Load<Attend.Tasks.Tagging.TaggingConfig>(Write("""{"data": {"train": "x"}, "optim": {"lr": 0.5, "schedule": "epoch_decay"}}"""), []);
        Assert.Equal(0.5f, cfg.Optim.Lr);
        Assert.Equal(2000, cfg.Optim.MaxTokens);
        Assert.Equal(5f, cfg.Optim.ClipNorm);
        Assert.Equal(Attend.Training.ScheduleKind.EpochDecay, cfg.Optim.Schedule);
        Assert.Equal(10, cfg.Train.MaxEpochs);
        Assert.Contains("\"epoch_decay\"", RunConfigFile.ToJson(cfg));
        var e = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<Attend.Tasks.Tagging.TaggingConfig>(Write("""{"optim": {"optimizer": 1}}"""), []));
        Assert.Contains("optim.optimizer", e.Message);
        Assert.Contains("adam, adamw, sgd", e.Message);
    }

    [Theory]
    [InlineData("multi30k-de-en.json")]
    [InlineData("spa-eng.json")]
    public void TheShippedConfigsAreValid(string name)
    {
        var cfg = RunConfigFile.Load<TranslationConfig>(ShippedConfig(name), []);
        Assert.Null(cfg.Problem());
    }

    [Theory]
    [InlineData("nanogpt-cpu.json")]
    [InlineData("shakespeare-char.json")]
    public void TheShippedLanguageModelConfigsAreValid(string name)
    {
        var cfg = RunConfigFile.Load<Attend.Tasks.LanguageModeling.LmConfig>(ShippedConfig(name), []);
        Assert.Null(cfg.Problem());
    }

    [Theory]
    [InlineData("imdb.json")]
    [InlineData("imdb-bilstm.json")]
    [InlineData("imdb-bow.json")]
    public void TheShippedClassificationConfigsAreValid(string name)
    {
        var cfg = RunConfigFile.Load<Attend.Tasks.Classification.ClassificationConfig>(ShippedConfig(name), []);
        Assert.Null(cfg.Problem());
        var model = cfg.Model with // as the run fills it from the data
        {
            Labels = ["neg", "pos"],
            Encoder = cfg.Model.Encoder is null ? null : cfg.Model.Encoder with { VocabSize = cfg.Tokenizer.VocabSize },
            Bow = cfg.Model.Bow is null ? null : cfg.Model.Bow with { VocabSize = cfg.Tokenizer.VocabSize },
        };
        Assert.Null(model.Problem());
    }

    [Theory]
    [InlineData("etth1.json")]
    [InlineData("etth1-dlinear.json")]
    [InlineData("etth1-rlinear.json")]
    public void TheShippedForecastingConfigsAreValid(string name)
    {
        var cfg = RunConfigFile.Load<Attend.Tasks.Forecasting.ForecastConfig>(ShippedConfig(name), []);
        Assert.Null(cfg.Problem());
        Assert.Null((cfg.Model with { Channels = 7 }).Problem()); // as the run fills it from the data
    }

    [Theory]
    [InlineData("ud-ewt-upos.json")]
    [InlineData("ud-ewt-transformer.json")]
    public void TheShippedTaggingConfigsAreValid(string name)
    {
        var cfg = RunConfigFile.Load<Attend.Tasks.Tagging.TaggingConfig>(ShippedConfig(name), []);
        Assert.Null(cfg.Problem());
        var model = cfg.Model with { Labels = ["NOUN", "VERB"], Encoder = cfg.Model.Encoder with { VocabSize = 1000, CharVocabSize = 90 } };
        Assert.Null(model.Problem());
    }

    [Fact]
    public void AnUnknownLanguageModelKeyIsNamed()
    {
        string path = Write("""{"task": "lm", "data": {"text": "t.txt"}, "model": {"contxt": 64}}""");
        var e = Assert.Throws<DataFormatException>(() => RunConfigFile.Load<Attend.Tasks.LanguageModeling.LmConfig>(path, []));
        Assert.Contains("model.contxt", e.Message);
    }

    private static string ShippedConfig(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "configs"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "configs", name);
    }
}
