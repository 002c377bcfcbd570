// The bad inputs a user meets (issue "Hardening"), as a table: each case builds its files in a fresh directory, runs
// the verb in-process, and expects the exit code, a phrase of the one-line message, and no stack trace. Cases that
// are not errors (decoding past a model's positions, over-long input) expect exit 0 and the note they print.
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;
using Attend.Text.Tokenization;

namespace Attend.Cli.Tests;

[Collection("console")]
public class BadInputTests
{
    private sealed record Case(Func<string, (string? Stdin, string[] Args)> Setup, int Code, string Expected);

    private static readonly string Chars = "abcdef";

    /// <summary>A random (untrained) Transformer over the characters a–f with max_positions 16, saved with its tokenizer.</summary>
    internal static string TinyTranslator(string dir, Action<JsonObject>? editConfig = null)
    {
        string model = Path.Combine(dir, "model");
        var tokenizer = new CharTokenizer(Chars.Select(c => c.ToString()));
        var config = new Seq2SeqConfig
        {
            VocabSize = tokenizer.Vocabulary.Count, DModel = 16, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 32,
            Dropout = 0f, PadId = 0, BosId = 2, EosId = 3, MaxPositions = 16,
        };
        ModelRegistry.Save(model, new Seq2SeqTransformer(config, new Rng(3)), tokenizer);
        if (editConfig is not null) EditJson(Path.Combine(model, "config.json"), root => editConfig((JsonObject)root["config"]!));
        return model;
    }

    internal static string TinyLm(string dir)
    {
        string model = Path.Combine(dir, "lm");
        var tokenizer = new CharTokenizer(Chars.Select(c => c.ToString()));
        var config = new DecoderLmConfig { VocabSize = tokenizer.Vocabulary.Count, Context = 8, DModel = 16, NumHeads = 2, NumLayers = 1, Dropout = 0f };
        ModelRegistry.Save(model, new DecoderLm(config, new Rng(3)), tokenizer);
        return model;
    }

    internal static void EditJson(string path, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    private static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] A(params string[] args) => args;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // unbounded memory
        ["markov --skips 1e9"] = new(d => (null, A("train", "markov", "--text", Write(d, "t.txt", "to be or not to be\n"), "--order", "skip", "--skips", "1000000000")), 2, "--skips: expected 1 to 64"),
        ["translate --beam 100000"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d), "--beam", "100000")), 2, "--beam must be between 1 and 256"),
        ["config max_positions 2e6"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["max_positions"] = 2_000_000))), 2, "model.safetensors holds"),
        ["config max_positions 1e9"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["max_positions"] = 1_000_000_000))), 2, "the model it describes needs at least"),
        ["config dim_feedforward 1e7"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["dim_feedforward"] = 10_000_000))), 2, "config.json"),
        ["config d_model 1e9"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["d_model"] = 1_000_000_000))), 2, "config.json"),
        ["config vocab 2^31-1"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["vocab_size"] = int.MaxValue))), 2, "config.json"),
        ["config d_model 1e9 as 1e9"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d, c => c["d_model"] = 1e9))), 2, "d_model"),
        // decoding past max_positions: clamped, with a note, never a crash
        ["translate --max-len 1000"] = new(d => ("abc\nfed\n", A("translate", "--model", TinyTranslator(d), "--max-len", "1000")), 0, "outputs stop at 16 tokens"),
        ["translate --max-len 1000 --beam 3"] = new(d => ("abc\n", A("translate", "--model", TinyTranslator(d), "--max-len", "1000", "--beam", "3")), 0, "outputs stop at 16 tokens"),
        ["translate --ids past the positions"] = new(d => (string.Join(' ', Enumerable.Repeat("4", 17)) + "\n", A("translate", "--model", TinyTranslator(d), "--ids")), 0, "17 source tokens, more than the model's 16 positions"),
        ["translate a long line"] = new(d => (new string('a', 100_000) + "\nabc\n", A("translate", "--model", TinyTranslator(d))), 0, "100001 source tokens"),
        // silent wrong output
        ["tokenizer smaller than the model"] = new(d => ("abc\n", A("translate", "--model", ShrinkTokenizer(TinyTranslator(d)))), 2, "tokens, but the model has vocab_size 10"),
        ["generate: tokenizer smaller than the model"] = new(d => (null, A("generate", "--model", ShrinkTokenizer(TinyLm(d)), "--prompt", "ab")), 2, "tokens, but the model has vocab_size 10"),
        ["--resume without a checkpoint"] = new(d => (null, A("train", "translation", "--config", TrainDemoTests.TinyConfig(d), "--out", Path.Combine(d, "new"), "--resume")), 2, "--resume: "),
        ["train into a finished run"] = new(d => (null, A("train", "translation", "--config", TrainDemoTests.TinyConfig(d), "--out", FinishedRun(d))), 2, "already holds a run"),
        ["unknown key in config.json"] = new(d => ("abc\n", A("translate", "--model", EditTop(TinyTranslator(d), "config.json", o => o["colour"] = 1))), 2, "unknown field 'colour'"),
        ["unknown key in tokenizer.json"] = new(d => ("abc\n", A("translate", "--model", EditTop(TinyTranslator(d), "tokenizer.json", o => o["colour"] = 1))), 2, "unknown field 'colour'"),
        ["duplicate key in a run config"] = new(d => (null, A("train", "translation", "--config", Write(d, "dup.json", "{\"task\": \"translation\", \"seed\": 1, \"seed\": 2}"), "--out", Path.Combine(d, "r"))), 2, "Duplicate property 'seed'"),
        ["tokenizer train on an empty file"] = new(d => (null, A("tokenizer", "train", "--type", "char", "--vocab-size", "20", "--input", Write(d, "e.txt", ""), "--out", Path.Combine(d, "t.json"))), 2, "hold no text"),
        // stack traces for ordinary mistakes
        ["train --out is a file"] = new(d => (null, A("train", "translation", "--config", TrainDemoTests.TinyConfig(d), "--out", Write(d, "f", "x"))), 2, "is a file; expected a run directory"),
        ["demo --out is a file"] = new(d => (null, A("demo", "--out", Write(d, "f", "x"), "--updates", "1")), 2, "is a file"),
        ["tokenizer train --out is a directory"] = new(d => (null, A("tokenizer", "train", "--type", "char", "--vocab-size", "20", "--input", Write(d, "t.txt", "abc\n"), "--out", d)), 2, "it is a directory"),
        ["convert --out is a file"] = new(d => (null, ConvertInto(d, Write(d, "f", "x"))), 2, "already exists"),
        ["output under a file"] = new(d => (null, A("tokenizer", "train", "--type", "char", "--vocab-size", "20", "--input", Write(d, "t.txt", "abc\n"), "--out", Path.Combine(Write(d, "f", "x"), "t.json"))), 2, "is a file, not a directory"),
        ["empty translation files"] = new(d => (null, A("train", "translation", "--config", EmptyTranslationConfig(d), "--out", Path.Combine(d, "r"))), 2, "no sentence pairs to train on"),
        ["markov on a 2-character file"] = new(d => (null, A("train", "markov", "--text", Write(d, "t.txt", "ab"), "--order", "2")), 2, "too few to split"),
        ["lm on a 2-character file"] = new(d => (null, A("train", "lm", "--config", LmConfig(d, Write(d, "t.txt", "ab")), "--out", Path.Combine(d, "r"))), 2, "too few to split"),
        ["model.dropout 2.0"] = new(d => (null, A("train", "translation", "--config", TrainDemoTests.TinyConfig(d), "--out", Path.Combine(d, "r"), "--set", "model.dropout=2.0")), 2, "dropout must be in [0, 1)"),
        ["NaN in the weights"] = new(d => ("abc\n", A("translate", "--model", PoisonWeights(TinyTranslator(d)))), 2, "weights must be finite"),
        ["forecast CSV with a column named twice"] = new(d => (null, A("train", "forecast", "--config", ForecastConfig(d, Series(d, "date,load,load")), "--out", Path.Combine(d, "r"))), 2, "names column 'load' 2 times"),
        ["forecast --out is a directory"] = new(d => (null, A("forecast", "--model", RepeatForecaster(d), "--csv", Series(d, "date,load,OT"), "--out", d)), 2, "it is a directory"),
        ["eval forecast --plot is a directory"] = new(d => (null, A("eval", "forecast", "--model", RepeatForecaster(d), "--plot", d)), 2, "it is a directory"),
        ["eval.max_length over max_positions"] = new(d => (null, A("train", "translation", "--config", TrainDemoTests.TinyConfig(d, ", \"max_positions\": 100"), "--out", Path.Combine(d, "r"), "--set", "eval.max_length=300")), 2, "eval.max_length (300) exceeds model.max_positions (100)"),
        ["text input is a directory"] = new(d => (null, A("train", "markov", "--text", d)), 2, "is a directory"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AnswersWithOneLineAndAnExitCode(string name)
    {
        var c = Cases[name];
        string dir = CliRunner.TempDir();
        var (stdin, args) = c.Setup(dir);
        var (code, _, err) = CliRunner.Run(stdin, args);
        Assert.True(code == c.Code, $"exit {code}, expected {c.Code}; stderr: {err}");
        Assert.Contains(c.Expected, err);
        Assert.DoesNotContain("   at ", err);
        if (c.Code != 0) Assert.StartsWith("error: ", err.TrimStart());
    }

    [Fact]
    public void TaggedSentenceWithAnUntaggedWordIsNamed()
    {
        string dir = CliRunner.TempDir();
        string conllu = Write(dir, "t.conllu", "1\tthe\tthe\tDET\t_\t_\t0\tdep\t_\t_\n2\tdog\tdog\t_\t_\t_\t0\tdep\t_\t_\n\n");
        string config = Write(dir, "tag.json", $$"""
            { "task": "tagging", "data": { "train": {{JsonSerializer.Serialize(conllu)}} },
              "model": { "encoder": { "kind": "lstm", "embed_dim": 8, "hidden_size": 8, "char_vocab_size": 1 } } }
            """);
        var (code, _, err) = CliRunner.Run(null, "train", "tagging", "--config", config, "--out", Path.Combine(dir, "r"));
        Assert.Equal(2, code);
        Assert.Contains("word 2 'dog': no UPOS tag", err);
        Assert.Contains("t.conllu:1", err);
    }

    [Fact]
    public void AFinishedRunIsNotTouchedByARunWithoutResume()
    {
        string dir = CliRunner.TempDir();
        string run = FinishedRun(dir);
        var before = Directory.GetFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        var (code, _, _) = CliRunner.Run(null, "train", "translation", "--config", TrainDemoTests.TinyConfig(dir), "--out", run);
        Assert.Equal(2, code);
        Assert.Equal(before, Directory.GetFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText));
    }

    [Fact]
    public void DecodingPastThePositionsStopsThereForGreedyAndBeam()
    {
        string dir = CliRunner.TempDir();
        string model = TinyTranslator(dir);
        foreach (string beam in new[] { "1", "3" })
        {
            var (code, output, err) = CliRunner.Run("4 5 6\n", "translate", "--model", model, "--ids", "--max-len", "1000", "--beam", beam);
            Assert.True(code == 0, err);
            Assert.InRange(output.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, 0, 16);
        }
    }

    // `convert torch-transformer` of the tiny translator's own weights and config, written to out
    private static string[] ConvertInto(string dir, string output)
    {
        string model = TinyTranslator(dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!["config"]!.ToJsonString();
        return A("convert", "torch-transformer", "--weights", Path.Combine(model, "model.safetensors"), "--config", Write(dir, "c.json", config), "--out", output);
    }

    private static string ShrinkTokenizer(string model)
    {
        EditJson(Path.Combine(model, "tokenizer.json"), o => o["vocab"] = new JsonArray([.. Chars[..^1].Select(c => (JsonNode)c.ToString())]));
        return model;
    }

    private static string EditTop(string model, string file, Action<JsonObject> edit)
    {
        EditJson(Path.Combine(model, file), edit);
        return model;
    }

    private static string PoisonWeights(string model)
    {
        string path = Path.Combine(model, "model.safetensors");
        var file = SafeTensorsFile.Load(path);
        var w = new SafeTensorsWriter();
        foreach (var (name, e) in file.Entries)
        {
            var values = file.ReadFloats(name);
            if (name == "embedding.weight") values[5] = float.NaN;
            w.Add(name, values, e.Shape);
        }
        w.Save(path);
        return model;
    }

    // a run directory that finished: its model/ and results.json exist
    private static string FinishedRun(string dir)
    {
        string run = Path.Combine(dir, "finished");
        TinyTranslator(run);
        File.WriteAllText(Path.Combine(run, "results.json"), "{\"bleu\": 12.5}");
        return run;
    }

    private static string EmptyTranslationConfig(string dir)
    {
        string Empty(string n) => JsonSerializer.Serialize(Write(dir, n, ""));
        return Write(dir, "empty.json", $$"""
            { "task": "translation",
              "data": { "train_source": {{Empty("tr.src")}}, "train_target": {{Empty("tr.tgt")}}, "valid_source": {{Empty("va.src")}}, "valid_target": {{Empty("va.tgt")}} },
              "tokenizer": { "type": "char", "vocab_size": 100 } }
            """);
    }

    private static string Series(string dir, string header)
    {
        var lines = new List<string> { header };
        for (int r = 0; r < 120; r++)
            lines.Add(FormattableString.Invariant($"{new DateTime(2021, 1, 1).AddHours(r):yyyy-MM-dd HH:mm:ss},{Math.Sin(r / 3.0):F4},{20 + Math.Cos(r / 5.0):F4}"));
        return Write(dir, "series.csv", string.Join("\n", lines) + "\n");
    }

    private static string ForecastConfig(string dir, string csv, string kind = "dlinear") => Write(dir, "forecast.json", $$"""
        { "task": "forecast", "data": { "csv": {{JsonSerializer.Serialize(csv)}}, "train_rows": 70, "valid_rows": 25, "test_rows": 25 },
          "model": { "kind": "{{kind}}", "lookback": 12, "horizon": 4 }, "train": { "max_epochs": 1, "threads": 1 } }
        """);

    // a fitted repeat-last-value forecaster (no parameters, so no training)
    private static string RepeatForecaster(string dir)
    {
        string run = Path.Combine(dir, "repeat");
        var (code, _, err) = CliRunner.Run(null, "train", "forecast", "--config", ForecastConfig(dir, Series(dir, "date,load,OT"), "repeat"), "--out", run);
        Assert.True(code == 0, err);
        return Path.Combine(run, "model");
    }

    private static string LmConfig(string dir, string text) => Write(dir, "lm.json", $$"""
        { "task": "lm", "data": { "text": {{JsonSerializer.Serialize(text)}} }, "tokenizer": { "type": "char", "vocab_size": 64 },
          "model": { "context": 8, "d_model": 16, "nhead": 2, "num_layers": 1 } }
        """);
}

[Collection("console")]
public class FinishedRunTests
{
    [Fact]
    public void ALongerTestSetThanThePositionsIsTruncatedNotFatal()
    {
        // max_positions 4: training keeps pairs of ≤ 3 tokens, the test set has words of up to 6 characters
        string dir = CliRunner.TempDir();
        string config = TrainDemoTests.TinyConfig(dir, ", \"max_positions\": 4");
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", config, "--out", run, "--set", "eval.max_length=4", "--set", "data.max_length=500");
        Assert.True(code == 0, err);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        Assert.Equal(20, results.RootElement.GetProperty("sentences").GetInt32());
    }

    [Fact]
    public void AFailedScoringKeepsTheTrainingInResultsJson()
    {
        string dir = CliRunner.TempDir();
        var training = new Training.TrainingResult(42, -1.5, "max_steps", []);
        var e = Assert.Throws<Training.EvaluationFailedException>(() =>
            Training.FinishedRun.Evaluate<int>(dir, training, () => throw new IOException("test file vanished")));
        Assert.Contains("test file vanished", e.Message);
        Assert.Contains(Path.Combine(dir, "model"), e.Message);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("test file vanished", results.RootElement.GetProperty("evaluation_error").GetString());
        Assert.Equal(42, results.RootElement.GetProperty("training").GetProperty("steps").GetInt64());
        Assert.Equal(2, Commands.UserError.Describe(e) is null ? 0 : 2); // an I/O cause reads as one line
        Assert.Null(Commands.UserError.Describe(new Training.EvaluationFailedException(dir, new NullReferenceException()))); // a bug keeps its trace
    }
}
