// End to end through the CLI: the golden PyTorch seq2seq (its state_dict and config) is converted into a model
// directory, and `attend translate --ids` reproduces PyTorch's greedy and beam-search outputs.
using System.Text;
using System.Text.Json;
using Attend.Serialization;

namespace Attend.Cli.Tests;

[Collection("console")]
public class ConvertTranslateTests
{
    private static string GoldenFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(name);
    }

    [Theory]
    [InlineData("seq2seq_tied")]
    [InlineData("seq2seq_separate")]
    public void ConvertedGoldenModelTranslatesLikePyTorch(string name)
    {
        var golden = SafeTensorsFile.Load(GoldenFile(name + ".safetensors"));
        string dir = CliRunner.TempDir();
        // a plain PyTorch state_dict file and the case's config, as a user would export them
        var w = new SafeTensorsWriter();
        foreach (var (key, e) in golden.Entries)
            if (key.StartsWith("param.", StringComparison.Ordinal)) w.Add(key["param.".Length..], golden.ReadFloats(key), e.Shape);
        string weights = Path.Combine(dir, "state_dict.safetensors"), config = Path.Combine(dir, "config.json"), model = Path.Combine(dir, "model");
        w.Save(weights);
        File.WriteAllText(config, golden.Metadata["config"]);
        var (code, _, err) = CliRunner.Run(null, "convert", "torch-transformer", "--weights", weights, "--config", config, "--out", model);
        Assert.True(code == 0, err);

        int b = golden.Get("input.src").Shape[0], s = golden.Get("input.src").Shape[1];
        var src = golden.ReadInts("input.src");
        var input = new StringBuilder();
        for (int row = 0; row < b; row++) input.AppendLine(string.Join(' ', src.Skip(row * s).Take(s).Where(id => id != 0)));
        using var cfg = JsonDocument.Parse(golden.Metadata["config"]);
        int maxLen = cfg.RootElement.GetProperty("max_decode_len").GetInt32(), width = cfg.RootElement.GetProperty("beam_width").GetInt32();

        var (g, greedyOut, gErr) = CliRunner.Run(input.ToString(), "translate", "--model", model, "--ids", "--max-len", maxLen.ToString());
        Assert.True(g == 0, gErr);
        Assert.Equal(Expected(golden, "output.greedy_tokens", b, maxLen), Lines(greedyOut));
        var (bc, beamOut, bErr) = CliRunner.Run(input.ToString(), "translate", "--model", model, "--ids", "--beam", width.ToString(), "--alpha", "0.6", "--max-len", maxLen.ToString());
        Assert.True(bc == 0, bErr);
        Assert.Equal(Expected(golden, "output.beam_best_tokens", b, maxLen), Lines(beamOut));
    }

    [Fact]
    public void BadIdsAndMissingModelAreOneLineErrors()
    {
        var (code, _, err) = CliRunner.Run("1 2\n", "translate", "--model", Path.Combine(CliRunner.TempDir(), "none"), "--ids");
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", err);
        // a model directory whose weights file is damaged
        string dir = CliRunner.TempDir();
        string cfg = Path.Combine(dir, "c.json"), w = Path.Combine(dir, "w.safetensors");
        File.WriteAllText(cfg, "{\"vocab_size\": 8, \"d_model\": 8, \"nhead\": 2, \"num_encoder_layers\": 1, \"num_decoder_layers\": 1, \"dim_feedforward\": 8}");
        File.WriteAllBytes(w, [1, 2, 3]);
        var (code2, _, err2) = CliRunner.Run(null, "convert", "torch-transformer", "--weights", w, "--config", cfg, "--out", Path.Combine(dir, "m"));
        Assert.Equal(2, code2);
        Assert.StartsWith("error: " + w, err2);
        Assert.DoesNotContain(" at ", err2);
    }

    private static string[] Lines(string s) => s.Replace("\r", "").TrimEnd('\n').Split('\n');

    /// <summary>Each row's ids up to (not including) EOS = 2, zero padding dropped.</summary>
    private static string[] Expected(SafeTensorsFile golden, string name, int rows, int maxLen)
    {
        var ids = golden.ReadInts(name);
        return Enumerable.Range(0, rows).Select(r => string.Join(' ', ids.Skip(r * maxLen).Take(maxLen).TakeWhile(id => id != 0 && id != 2))).ToArray();
    }
}
