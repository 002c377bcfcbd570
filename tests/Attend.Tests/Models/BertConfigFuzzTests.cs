// Hugging Face config.json and tokenizer_config.json with every key set in turn to values of the wrong type, out of
// range or huge: loading either succeeds or fails with a DataFormatException naming the file — never another exception
// and never an allocation sized by the bad number.
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class BertConfigFuzzTests
{
    private static readonly Func<JsonNode?>[] BadValues =
    [
        () => null, () => "text", () => -1, () => 0, () => 3.5, () => 1e12, () => true, () => new JsonArray(1, 2), () => new JsonObject { ["x"] = 1 },
        () => 2_000_000_000,
    ];

    [Theory]
    [InlineData("config.json")]
    [InlineData("tokenizer_config.json")]
    public void EveryKeyWithABadValueLoadsOrIsAFormatError(string file)
    {
        string source = Path.Combine(GoldenCase.Directory, "hf", "bert_tiny");
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(source, file)))!.AsObject();
        int refused = 0;
        foreach (var key in original.Select(p => p.Key).Append("is_decoder").ToList())
            foreach (var bad in BadValues)
            {
                string dir = Directory.CreateTempSubdirectory("attend-bert-fuzz-").FullName;
                foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
                var changed = original.DeepClone().AsObject();
                changed[key] = bad();
                File.WriteAllText(Path.Combine(dir, file), changed.ToJsonString());
                try
                {
                    BertCheckpoint.Load(dir);
                }
                catch (DataFormatException e)
                {
                    Assert.Contains(dir, e.Message);
                    refused++;
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        Assert.True(refused > 0);
    }
}
