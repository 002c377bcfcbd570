// `attend train tagging`, `attend tag` and `attend eval tagging`: a tiny CoNLL-U treebank trains a character-aware
// BiLSTM, the model tags sentences from standard input in both formats and scores a gold file; mistakes are one-line
// errors with exit code 2.
using System.Text;
using System.Text.Json;

namespace Attend.Cli.Tests;

[Collection("console")]
public class TagCommandTests
{
    private static readonly (string Form, string Tag)[] Lexicon = [("the", "DET"), ("a", "DET"), ("dog", "NOUN"), ("cat", "NOUN"), ("sees", "VERB"), ("likes", "VERB"), (".", "PUNCT")];

    private static string Treebank(string dir, string name, int sentences, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            sb.Append("# sent_id = ").Append(s).Append('\n');
            var words = new[] { Lexicon[rng.Next(2)], Lexicon[2 + rng.Next(2)], Lexicon[4 + rng.Next(2)], Lexicon[rng.Next(2)], Lexicon[2 + rng.Next(2)], Lexicon[6] };
            for (int i = 0; i < words.Length; i++) sb.Append($"{i + 1}\t{words[i].Form}\t{words[i].Form}\t{words[i].Tag}\t_\t_\t0\tdep\t_\t_\n");
            sb.Append('\n');
        }
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string Config(string dir)
    {
        string path = Path.Combine(dir, "tag.json");
        File.WriteAllText(path, $$"""
            {
              "task": "tagging", "seed": 3,
              "data": { "train": {{JsonSerializer.Serialize(Treebank(dir, "train.conllu", 120, 1))}}, "test": {{JsonSerializer.Serialize(Treebank(dir, "test.conllu", 20, 2))}}, "valid_fraction": 0.1 },
              "model": { "word_dropout": 0.05, "encoder": { "kind": "lstm", "embed_dim": 12, "hidden_size": 16, "dropout": 0.0, "char_vocab_size": 1, "char_dim": 6, "char_hidden": 6 } },
              "optim": { "lr": 0.01, "warmup": 5, "max_tokens": 120 },
              "train": { "max_epochs": 6, "max_minutes": 0, "threads": 1 }
            }
            """);
        return path;
    }

    [Fact]
    public void ATinyTreebankTrainsAndTheModelTagsAndScores()
    {
        string dir = CliRunner.TempDir();
        string config = Config(dir), run = Path.Combine(dir, "run"), model = Path.Combine(run, "model");
        var (code, output, err) = CliRunner.Run(null, "train", "tagging", "--config", config, "--out", run, "--json");
        Assert.True(code == 0, err + output);
        using (var results = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]))
        {
            Assert.True(results.RootElement.GetProperty("test_accuracy").GetDouble() >= 0.98, output);
            Assert.Equal(120, results.RootElement.GetProperty("test_words").GetInt32());
        }
        Assert.True(File.Exists(Path.Combine(model, "chars.json")));

        var (c1, tagged, e1) = CliRunner.Run("the cat sees a dog .\n\na dog likes the cat\n", "tag", "--model", model, "--threads", "1");
        Assert.True(c1 == 0, e1);
        Assert.Equal(["the/DET cat/NOUN sees/VERB a/DET dog/NOUN ./PUNCT", "", "a/DET dog/NOUN likes/VERB the/DET cat/NOUN"], tagged.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));

        var (c2, tsv, _) = CliRunner.Run("the dog\n", "tag", "--model", model, "--format", "tsv", "--threads", "1");
        Assert.Equal(0, c2);
        Assert.Equal(["the\tDET", "dog\tNOUN", ""], tsv.Replace("\r", "").Split('\n')[..3]);

        var (c3, scored, e3) = CliRunner.Run(null, "eval", "tagging", "--model", model, "--conllu", Path.Combine(dir, "test.conllu"), "--json", "--threads", "1");
        Assert.True(c3 == 0, e3);
        using var doc = JsonDocument.Parse(scored.Trim());
        Assert.Equal(120, doc.RootElement.GetProperty("words").GetInt32());
        Assert.True(doc.RootElement.GetProperty("accuracy").GetDouble() >= 0.98);
        Assert.Equal(4, doc.RootElement.GetProperty("per_tag").EnumerateObject().Count());
    }

    [Fact]
    public void MistakesAreOneLineErrors()
    {
        string dir = CliRunner.TempDir();
        string config = Config(dir), run = Path.Combine(dir, "run");
        var (code, _, err) = CliRunner.Run(null, "train", "tagging", "--config", config, "--out", run, "--set", "data.column=feats");
        Assert.Equal(2, code);
        Assert.Contains("data.column", err);
        File.AppendAllText(Path.Combine(dir, "train.conllu"), "1\tbroken line\n");
        (code, _, err) = CliRunner.Run(null, "train", "tagging", "--config", config, "--out", run);
        Assert.Equal(2, code);
        Assert.Contains("train.conllu:", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        (code, _, err) = CliRunner.Run("a b\n", "tag", "--model", Path.Combine(dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", err);
    }
}
