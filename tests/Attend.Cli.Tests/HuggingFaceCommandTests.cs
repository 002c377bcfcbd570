// The command-line contract on Hugging Face directories (tests/golden/hf/gpt2_tiny and marian_tiny): `tokenizer encode` prints
// the ids GPT2Tokenizer gives (nothing added; on a Marian directory, MarianTokenizer's source ids with </s>), `translate
// --ids` on a Marian directory prints the reference's greedy and beam-4 decodes, `generate --ids --temperature 0` prints the reference's greedy
// continuation of each prompt line, and bad id lines are refused with the line named.
using System.Text.Json.Nodes;

namespace Attend.Cli.Tests;

[Collection("console")]
public class HuggingFaceCommandTests
{
    private static string Gpt2Tiny()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", "hf", "gpt2_tiny");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/golden/hf/gpt2_tiny not found");
    }

    private static JsonObject Reference => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Gpt2Tiny(), "reference.json")))!;

    [Fact]
    public void TokenizerEncodePrintsGpt2TokenizersIds()
    {
        // one line per case (texts with line breaks cannot be one stdin line)
        var cases = Reference["tokenizer"]!["cases"]!.AsArray().Where(c => !((string)c!["text"]!).Contains('\n') && ((string)c!["text"]!).Length > 0).ToList();
        string input = string.Concat(cases.Select(c => (string)c!["text"]! + "\n"));
        var (code, output, err) = CliRunner.Run(input, "tokenizer", "encode", "--tokenizer", Gpt2Tiny());
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        for (int i = 0; i < cases.Count; i++)
            Assert.Equal(string.Join(' ', cases[i]!["ids"]!.AsArray().Select(x => (int)x!)), lines[i].Trim());
    }

    [Fact]
    public void TokenizerEncodeOnAMarianDirectoryPrintsTheSourceIdsWithEos()
    {
        string marian = Path.Combine(Path.GetDirectoryName(Gpt2Tiny())!, "marian_tiny");
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(marian, "reference.json")))!["tokenizer"]!["source_cases"]!.AsArray()
            .Where(c => !((string)c!["text"]!).Contains('\n') && ((string)c!["text"]!).Length > 0).ToList();
        var (code, output, err) = CliRunner.Run(string.Concat(reference.Select(c => (string)c!["text"]! + "\n")), "tokenizer", "encode", "--tokenizer", marian);
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(reference.Count, lines.Length);
        for (int i = 0; i < reference.Count; i++)
            Assert.Equal(string.Join(' ', reference[i]!["ids"]!.AsArray().Select(x => (int)x!)), lines[i].Trim());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void TranslateWithIdsOnAMarianDirectoryPrintsTheReferenceDecodes(int beam)
    {
        string marian = Path.Combine(Path.GetDirectoryName(Gpt2Tiny())!, "marian_tiny");
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(marian, "reference.json")))!;
        var inputIds = reference["batch"]!["input_ids"]!.AsArray();
        int pad = 314;
        string input = string.Concat(inputIds.Select(row => string.Join(' ', row!.AsArray().Select(x => (int)x!).Where(x => x != pad)) + "\n"));
        var (code, output, err) = CliRunner.Run(input, "translate", "--model", marian, "--ids", "--beam", beam.ToString(), "--max-len", "12");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = beam == 1
            ? reference["generation"]!["greedy"]!.AsArray().Select(g => g!["generated_ids"]!).ToList()
            : reference["generation"]!["beam_search"]!["results"]!.AsArray().Select(g => g!["hypotheses"]![0]!["generated_ids"]!).ToList();
        Assert.Equal(expected.Count, lines.Length);
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(string.Join(' ', expected[i].AsArray().Select(x => (int)x!)), lines[i].Trim());
    }

    [Fact]
    public void GenerateWithIdsPrintsTheGreedyContinuationOfEachPromptLine()
    {
        var prompts = Reference["prompts"]!.AsArray();
        string input = string.Concat(prompts.Select(p => string.Join(' ', p!["input_ids"]!.AsArray().Select(x => (int)x!)) + "\n"));
        var (code, output, err) = CliRunner.Run(input, "generate", "--model", Gpt2Tiny(), "--ids", "--temperature", "0", "--max-tokens", "12");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(prompts.Count, lines.Length);
        for (int i = 0; i < prompts.Count; i++)
            Assert.Equal(string.Join(' ', prompts[i]!["greedy"]!["generated_ids"]!.AsArray().Select(x => (int)x!)), lines[i].Trim());
    }

    [Fact]
    public void ConvertHfSaysThatGpt2AndMarianDirectoriesAreUsedAsTheyAre()
    {
        foreach (var (dir, verb) in new[] { (Gpt2Tiny(), "generate"), (Path.Combine(Path.GetDirectoryName(Gpt2Tiny())!, "marian_tiny"), "translate") })
        {
            var (code, _, err) = CliRunner.Run(null, "convert", "hf", "--dir", dir, "--out", Path.Combine(CliRunner.TempDir(), "x"));
            Assert.NotEqual(0, code);
            Assert.Contains($"attend {verb} --model", err);
        }
    }

    [Fact]
    public void GenerateRefusesAnIdOutsideTheVocabularyNamingTheLine()
    {
        var (code, _, err) = CliRunner.Run("1 2 3\n4 557\n", "generate", "--model", Gpt2Tiny(), "--ids", "--temperature", "0", "--max-tokens", "2");
        Assert.NotEqual(0, code);
        Assert.Contains("<stdin>:2", err);
        Assert.Contains("'557' is not a token id", err);
        Assert.DoesNotContain("   at ", err);                                   // no stack trace
    }
}
