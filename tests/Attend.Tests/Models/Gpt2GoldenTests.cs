// A Hugging Face GPT2LMHeadModel directory (tests/golden/hf/gpt2_tiny, copied from ../shared/golden/hf; see its README
// §3–4) read as it is: token ids and byte-level pieces exactly as GPT2Tokenizer gives them, logits at every prompt
// position within 1e-4 of the float64 reference, and the reference's greedy continuations token for token, with and
// without the KV cache. Refusals name the file, the tensor or the key.
using System.Text.Json.Nodes;
using Attend.Autograd;
using Attend.Decoding;
using Attend.Models;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class Gpt2GoldenTests
{
    private static string Dir => Path.Combine(GoldenCase.Directory, "hf", "gpt2_tiny");
    private static JsonObject Reference => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference.json")))!;

    [Fact]
    public void TokenIdsAndPiecesAreThoseOfGpt2Tokenizer()
    {
        var tokenizer = Gpt2Checkpoint.Load(Dir).Tokenizer;
        var cases = (JsonArray)Reference["tokenizer"]!["cases"]!;
        Assert.Equal(30, cases.Count);
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var ids = c["ids"]!.AsArray().Select(i => (int)i!).ToArray();
            var tokens = c["tokens"]!.AsArray().Select(i => (string)i!).ToArray();
            Assert.True(ids.SequenceEqual(tokenizer.Encode(text)), $"{text}: expected [{string.Join(" ", tokens)}], got [{string.Join(" ", tokenizer.Tokenize(text))}]");
            Assert.Equal(tokens, tokenizer.Tokenize(text));
            Assert.Equal(text, tokenizer.Decode(ids));                     // byte-level: every text comes back exactly
        }
    }

    [Fact]
    public void TheEndOfTextTokenIsSpecialAndCanBeSkippedWhenDecoding()
    {
        var checkpoint = Gpt2Checkpoint.Load(Dir);
        Assert.Equal(556, checkpoint.EndOfText);
        var ids = checkpoint.Tokenizer.Encode("Hello<|endoftext|> world");
        Assert.Contains(556, ids);
        Assert.Equal("Hello world", checkpoint.Tokenizer.Decode(ids, skipSpecials: true));
    }

    [Fact]
    public void LogitsAtEveryPromptPositionMatchTheReference()
    {
        var checkpoint = Gpt2Checkpoint.Load(Dir);
        Assert.Equal(Activation(), checkpoint.Model.Config.Activation);
        foreach (var prompt in Reference["prompts"]!.AsArray())
        {
            var ids = Ints(prompt!["input_ids"]!);
            Assert.Equal(ids, checkpoint.Tokenizer.Encode((string)prompt["text"]!));
            using var _ = GradMode.Off();
            var logits = checkpoint.Model.Forward(ids, 1, ids.Length);          // (1, T, V)
            var expected = Floats(prompt["logits"]!);
            Assert.Equal(expected.Length, logits.Size);
            float worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - logits.Data[i]));
            Assert.True(worst <= 1e-4f, $"\"{prompt["text"]}\": largest logit difference {worst}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GreedyContinuationsAreTheReferences(bool useCache)
    {
        var checkpoint = Gpt2Checkpoint.Load(Dir);
        var generator = new LmGenerator(checkpoint.Model);
        foreach (var prompt in Reference["prompts"]!.AsArray())
        {
            var greedy = prompt!["greedy"]!;
            var expected = Ints(greedy["generated_ids"]!);
            var got = generator.Generate(Ints(prompt["input_ids"]!), (int)greedy["max_new_tokens"]!, new SamplingOptions(Temperature: 0f), new Rng(1),
                useCache, stop: checkpoint.EndOfText).ToArray();
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void APickleIsRefusedNamingSafetensorsAsTheFix()
    {
        string dir = CopyOf(Dir);
        File.Move(Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "pytorch_model.bin"));
        var e = Assert.Throws<DataFormatException>(() => Gpt2Checkpoint.Load(dir));
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void UnsupportedConfigsNameTheKey()
    {
        foreach (var (key, value) in new (string, JsonNode)[] { ("activation_function", "mish"), ("scale_attn_by_inverse_layer_idx", true), ("n_head", 5), ("n_embd", "wide") })
        {
            string dir = CopyOf(Dir);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
            config[key] = value;
            File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
            var e = Assert.Throws<DataFormatException>(() => Gpt2Checkpoint.Load(dir));
            Assert.Contains(key == "n_head" ? "nhead" : key, e.Message);
        }
    }

    [Fact]
    public void AMissingOrMisshapenTensorNamesItselfAndItsExpectedShape()
    {
        var source = Attend.Serialization.SafeTensorsFile.Load(Path.Combine(Dir, "model.safetensors"));
        string dir = CopyOf(Dir);
        var writer = new Attend.Serialization.SafeTensorsWriter();
        foreach (var (name, entry) in source.Entries)
            if (name != "transformer.h.1.mlp.c_fc.weight") writer.Add(name, source.ReadFloats(name), entry.Shape);
        writer.Save(Path.Combine(dir, "model.safetensors"));
        var e = Assert.Throws<DataFormatException>(() => Gpt2Checkpoint.Load(dir));
        Assert.Contains("'transformer.h.1.mlp.c_fc.weight' (64, 128) is missing", e.Message);

        writer = new Attend.Serialization.SafeTensorsWriter();
        foreach (var (name, entry) in source.Entries)
            writer.Add(name, source.ReadFloats(name), name == "transformer.h.0.attn.c_attn.weight" ? [192, 64] : entry.Shape);
        writer.Save(Path.Combine(dir, "model.safetensors"));
        e = Assert.Throws<DataFormatException>(() => Gpt2Checkpoint.Load(dir));
        Assert.Contains("'transformer.h.0.attn.c_attn.weight': shape (192, 64), expected (64, 192)", e.Message);
    }

    private Attend.Nn.Activation Activation() => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "config.json")))!["activation_function"]! == "gelu"
        ? Attend.Nn.Activation.Gelu : Attend.Nn.Activation.GeluTanh;

    private static string CopyOf(string dir)
    {
        string copy = Directory.CreateTempSubdirectory("attend-gpt2-").FullName;
        foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        foreach (var f in Directory.GetFiles(copy)) File.SetAttributes(f, FileAttributes.Normal);
        return copy;
    }

    private static int[] Ints(JsonNode node) => Flatten(node).Select(n => (int)n).ToArray();

    private static float[] Floats(JsonNode node) => Flatten(node).Select(n => (float)n).ToArray();

    private static IEnumerable<JsonNode> Flatten(JsonNode node) => node is JsonArray a ? a.SelectMany(n => Flatten(n!)) : [node];
}
