// `attend train translation`, `attend translate` on text, and `attend demo`: a tiny config trains, scores its test
// set, resumes, and serves text translation; config mistakes are one-line errors; the demo prints its JSON summary.
using Attend.Models;
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class TrainDemoTests
{
    internal static string TinyConfig(string dir, string extra = "")
    {
        var rng = new Random(4);
        var lines = Enumerable.Range(0, 400).Select(_ =>
        {
            var s = new string(Enumerable.Range(0, 3 + rng.Next(4)).Select(_ => (char)('a' + rng.Next(6))).ToArray());
            return s + "\t" + new string(s.Reverse().ToArray());
        });
        string tsv = Path.Combine(dir, "pairs.tsv");
        File.WriteAllLines(tsv, lines);
        string config = Path.Combine(dir, "tiny.json");
        File.WriteAllText(config, $$"""
            {
              "task": "translation", "seed": 2,
              "data": { "tsv": {{JsonSerializer.Serialize(tsv)}}, "valid_pairs": 20, "test_pairs": 20 },
              "tokenizer": { "type": "char", "vocab_size": 100 },
              "model": { "d_model": 32, "nhead": 2, "num_encoder_layers": 1, "num_decoder_layers": 1, "dim_feedforward": 64, "norm_first": true{{extra}} },
              "optim": { "lr": 0.003, "warmup": 10, "max_tokens": 400 },
              "train": { "max_steps": 30, "max_minutes": 0, "valid_every": 15, "average_last": 2, "threads": 1 },
              "eval": { "beam": 2, "max_length": 12 }
            }
            """);
        return config;
    }

    [Fact]
    public void ATinyConfigTrainsScoresResumesAndTranslatesText()
    {
        string dir = CliRunner.TempDir();
        string config = TinyConfig(dir);
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", config, "--out", run);
        Assert.True(code == 0, err);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
        {
            Assert.Equal(30, results.RootElement.GetProperty("steps").GetInt64());
            Assert.Equal(20, results.RootElement.GetProperty("sentences").GetInt32());
            Assert.InRange(results.RootElement.GetProperty("bleu").GetDouble(), 0, 100);
        }
        Assert.Equal(20, File.ReadAllLines(Path.Combine(run, "test.hyp.txt")).Length);

        (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", config, "--out", run, "--resume", "--set", "train.max_steps=40");
        Assert.True(code == 0, err);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            Assert.Equal(40, results.RootElement.GetProperty("steps").GetInt64());

        var (tcode, output, terr) = CliRunner.Run("abc\n\nfed\n", "translate", "--model", Path.Combine(run, "model"));
        Assert.True(tcode == 0, terr);
        var lines = output.Split('\n');
        Assert.Equal(4, lines.Length); // three outputs and the final newline
        Assert.Equal("", lines[1]);
        Assert.All(lines[0] + lines[2], c => Assert.InRange(c, 'a', 'f'));
    }

    [Theory]
    [InlineData("bahdanau", "gru")]
    [InlineData("general", "lstm")]
    public void TheRnnBaselineTrainsAndTranslatesWithBeamSearch(string attention, string cell)
    {
        string dir = CliRunner.TempDir();
        string config = TinyConfig(dir, $", \"architecture\": \"rnn\", \"cell\": \"{cell}\", \"attention\": \"{attention}\", \"embedding_dim\": 16, \"encoder_hidden\": 16, \"decoder_hidden\": 32");
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", config, "--out", run);
        Assert.True(code == 0, err);
        using (var config2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model", "config.json"))))
            Assert.Equal("rnn-seq2seq", config2.RootElement.GetProperty("architecture").GetString());
        var (tcode, output, terr) = CliRunner.Run("abc\nfed\n", "translate", "--model", Path.Combine(run, "model"), "--beam", "3");
        Assert.True(tcode == 0, terr);
        Assert.Equal(3, output.Split('\n').Length);
        (tcode, output, terr) = CliRunner.Run("4 5 6\n", "translate", "--model", Path.Combine(run, "model"), "--ids", "--nbest", "2", "--beam", "2");
        Assert.True(tcode == 0, terr);
        Assert.True(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2, output);
    }

    [Fact]
    public void AConfigMistakeIsAOneLineErrorNamingTheKey()
    {
        string dir = CliRunner.TempDir();
        string config = TinyConfig(dir, ", \"d_modle\": 8");
        var (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", config, "--out", Path.Combine(dir, "run"));
        Assert.Equal(2, code);
        Assert.Contains("d_modle", err);
        Assert.DoesNotContain("   at ", err);

        (code, _, err) = CliRunner.Run(null, "train", "translation", "--config", TinyConfig(dir), "--out", Path.Combine(dir, "run"), "--set", "optim.lr=-1");
        Assert.Equal(2, code);
        Assert.Contains("optim.lr", err);
    }

    [Fact]
    public void TextTranslationWithoutATokenizerIsAUserError()
    {
        string dir = CliRunner.TempDir();
        var model = new Attend.Models.Seq2SeqTransformer(new Attend.Models.Seq2SeqConfig { VocabSize = 20, DModel = 8, NumHeads = 2, EncoderLayers = 1, DecoderLayers = 1, DimFeedforward = 16 }, new Attend.Rng(1));
        ModelRegistry.Save(dir, model);
        var (code, _, err) = CliRunner.Run("hello\n", "translate", "--model", dir);
        Assert.Equal(2, code);
        Assert.Contains("tokenizer.json", err);
    }

    [Fact]
    public void TheDemoEndsWithAJsonSummary()
    {
        string dir = CliRunner.TempDir();
        var (code, output, err) = CliRunner.Run(null, "demo", "--out", dir, "--updates", "10", "--json");
        Assert.True(code == 0, err);
        var last = output.TrimEnd().Split('\n')[^1];
        using var doc = JsonDocument.Parse(last);
        Assert.InRange(doc.RootElement.GetProperty("exact_match").GetDouble(), 0, 1);
        Assert.True(doc.RootElement.GetProperty("seconds").GetDouble() > 0);
        string heatmap = doc.RootElement.GetProperty("heatmap").GetString()!;
        System.Xml.Linq.XDocument.Parse(File.ReadAllText(heatmap));
        Assert.True(File.Exists(Path.Combine(dir, "model", "tokenizer.json")));
    }
}
