// The GPT-2 and Marian fixtures' config.json, tokenizer_config.json, vocab.json and merges.txt with every key set in
// turn to a value of the wrong type, out of range or huge, and with random bytes flipped or lines cut: loading either
// succeeds or fails with a DataFormatException naming a file of the directory: never another exception, and never an
// allocation sized by the bad number.
using System.Text;
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class GeneratorFilesFuzzTests
{
    private static readonly Func<JsonNode?>[] BadValues =
    [
        () => null, () => "text", () => -1, () => 0, () => 3.5, () => 1e12, () => true, () => new JsonArray(1, 2), () => new JsonObject { ["x"] = 1 },
        () => 2_000_000_000,
    ];

    public static TheoryData<string, string> JsonFiles => new()
    {
        { "gpt2_tiny", "config.json" }, { "gpt2_tiny", "tokenizer_config.json" },
        { "marian_tiny", "config.json" }, { "marian_tiny", "tokenizer_config.json" },
    };

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void EveryKeyWithABadValueLoadsOrIsAFormatError(string fixture, string file)
    {
        string source = Path.Combine(GoldenCase.Directory, "hf", fixture);
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(source, file)))!.AsObject();
        int refused = 0;
        foreach (var key in original.Select(p => p.Key).ToList())
            foreach (var bad in BadValues)
            {
                var changed = original.DeepClone().AsObject();
                changed[key] = bad();
                if (LoadsOrRefuses(source, file, Encoding.UTF8.GetBytes(changed.ToJsonString()))) refused++;
            }
        Assert.True(refused > 0);
    }

    [Theory]
    [InlineData("gpt2_tiny", "vocab.json")]
    [InlineData("gpt2_tiny", "merges.txt")]
    [InlineData("gpt2_tiny", "config.json")]
    [InlineData("marian_tiny", "vocab.json")]
    [InlineData("marian_tiny", "config.json")]
    [InlineData("marian_tiny", "source.spm")]
    public void CorruptedFilesLoadOrAreFormatErrors(string fixture, string file)
    {
        string source = Path.Combine(GoldenCase.Directory, "hf", fixture);
        var bytes = File.ReadAllBytes(Path.Combine(source, file));
        var random = new Random(file.Length * 31 + fixture.Length);
        int refused = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            var corrupt = (byte[])bytes.Clone();
            if (trial % 2 == 0)
                for (int i = 0; i < 1 + trial % 5; i++) corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);      // flipped bytes
            else corrupt = corrupt[..random.Next(corrupt.Length)];                                                          // cut short
            if (LoadsOrRefuses(source, file, corrupt)) refused++;
        }
        Assert.True(refused > 0);
    }

    // copies the fixture with `file` replaced, loads it as its kind; true when refused with a format error naming the copy
    private static bool LoadsOrRefuses(string source, string file, byte[] content)
    {
        string dir = Directory.CreateTempSubdirectory("attend-gen-fuzz-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            foreach (var f in Directory.GetFiles(dir)) File.SetAttributes(f, FileAttributes.Normal);
            File.WriteAllBytes(Path.Combine(dir, file), content);
            if (source.EndsWith("gpt2_tiny", StringComparison.Ordinal)) Gpt2Checkpoint.Load(dir);
            else MarianCheckpoint.Load(dir);
            return false;
        }
        catch (DataFormatException e)
        {
            Assert.Contains(dir, e.Message);
            return true;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
