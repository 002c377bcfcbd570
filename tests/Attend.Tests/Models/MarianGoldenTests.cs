// A Hugging Face MarianMTModel directory (tests/golden/hf/marian_tiny, copied from ../shared/golden/hf; see its README
// §3–4) read as it is: the sinusoid rows, the encoder's last hidden states and the teacher-forced logits of a padded
// batch within 1e-4 of the float64 reference, and the reference's greedy translations token for token (batched and
// one by one). Refusals name the key or the tensor.
using System.Text.Json.Nodes;
using Attend.Autograd;
using Attend.Decoding;
using Attend.Models;
using Attend.Nn;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class MarianGoldenTests
{
    private static string Dir => Path.Combine(GoldenCase.Directory, "hf", "marian_tiny");
    private static JsonObject Reference => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference.json")))!;

    [Fact]
    public void ThePositionTableHasSinesThenCosines()
    {
        var sample = Reference["positional_embeddings_sample"]!;
        var table = Sinusoidal.Table(64, 64, SinusoidLayout.SinesThenCosines);
        var positions = Ints(sample["positions"]!);
        var rows = Floats(sample["rows"]!);
        for (int r = 0; r < positions.Length; r++)
            for (int c = 0; c < 64; c++)
                Assert.True(Math.Abs(rows[r * 64 + c] - table.Data[positions[r] * 64 + c]) <= 1e-6f, $"position {positions[r]}, column {c}");
    }

    [Fact]
    public void EncoderStatesAndLogitsOfAPaddedBatchMatchTheReference()
    {
        var checkpoint = MarianCheckpoint.Load(Dir);
        var model = checkpoint.Model;
        var batch = Reference["batch"]!.AsObject();
        var src = Ints(batch["input_ids"]!);
        var tgtIn = Ints(batch["decoder_input_ids"]!);
        int b = batch["input_ids"]!.AsArray().Count, s = src.Length / b, t = tgtIn.Length / b;
        var sources = batch["source_texts"]!.AsArray().Select(x => (string)x!).ToArray();
        for (int i = 0; i < b; i++)
        {
            var ids = checkpoint.Tokenizer.EncodeSource(sources[i]);
            Assert.Equal(ids, src.Skip(i * s).Take(ids.Length));
        }
        using var _ = GradMode.Off();
        var memory = model.Encode(src, b, s);
        AssertClose(Floats(batch["encoder_last_hidden_state"]!), memory.Data, "encoder_last_hidden_state");
        var logits = model.Decode(tgtIn, b, t, memory, model.PaddingMask(src, b, s));      // causal only: no target padding mask
        AssertClose(Floats(batch["logits"]!), logits.Data, "logits");
    }

    [Fact]
    public void GreedyTranslationsAreTheReferencesBatchedAndOneByOne()
    {
        var checkpoint = MarianCheckpoint.Load(Dir);
        var generation = Reference["generation"]!;
        var batch = Reference["batch"]!.AsObject();
        var sources = batch["source_texts"]!.AsArray().Select(x => checkpoint.Tokenizer.EncodeSource((string)x!)).ToList();
        Assert.Equal((int)generation["decoder_start_token_id"]!, checkpoint.Model.BosId);
        int max = (int)generation["max_new_tokens"]!;
        var batched = Decoders.Greedy(checkpoint.Model, sources, max);
        foreach (var g in generation["greedy"]!.AsArray())
        {
            int i = (int)g!["source_index"]!;
            var expected = Ints(g["generated_ids"]!);
            Assert.Equal(expected, batched[i]);
            Assert.Equal(expected, Decoders.Greedy(checkpoint.Model, [sources[i]], max)[0]);
        }
    }

    [Fact]
    public void BeamSearchGivesHuggingFacesFourHypothesesWithTheirScores()
    {
        var checkpoint = MarianCheckpoint.Load(Dir);
        var generation = Reference["generation"]!;
        var beam = generation["beam_search"]!;
        var sources = Reference["batch"]!["source_texts"]!.AsArray().Select(x => checkpoint.Tokenizer.EncodeSource((string)x!)).ToList();
        var suppressed = Ints(generation["suppressed_token_ids"]!);
        int k = (int)beam["num_beams"]!, max = (int)generation["max_new_tokens"]!;
        float penalty = (float)beam["length_penalty"]!;
        var batched = HuggingFaceBeam.Decode(checkpoint.Model, sources, k, penalty, max, suppressed);
        foreach (var result in beam["results"]!.AsArray())
        {
            int i = (int)result!["source_index"]!;
            var alone = HuggingFaceBeam.Decode(checkpoint.Model, [sources[i]], k, penalty, max, suppressed)[0];
            var expected = result["hypotheses"]!.AsArray();
            foreach (var got in new[] { batched[i], alone })
            {
                Assert.Equal(expected.Count, got.Count);
                for (int h = 0; h < expected.Count; h++)
                {
                    Assert.Equal(Ints(expected[h]!["generated_ids"]!), got[h].Tokens);
                    Assert.True(Math.Abs((double)expected[h]!["score"]! - got[h].Score) <= 1e-4, $"source {i} hypothesis {h}: score {got[h].Score}, expected {expected[h]!["score"]}");
                }
            }
        }
    }

    [Fact]
    public void UnsupportedConfigsNameTheKey()
    {
        foreach (var (key, value) in new (string, JsonNode)[] { ("normalize_before", true), ("share_encoder_decoder_embeddings", false), ("decoder_ffn_dim", 256), ("activation_function", "mish") })
        {
            string dir = CopyOf(Dir);
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
            config[key] = value;
            File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
            Assert.Contains(key, Assert.Throws<DataFormatException>(() => MarianCheckpoint.Load(dir)).Message);
        }
    }

    [Fact]
    public void AMissingTensorNamesItselfAndItsShape()
    {
        var source = Attend.Serialization.SafeTensorsFile.Load(Path.Combine(Dir, "model.safetensors"));
        string dir = CopyOf(Dir);
        var writer = new Attend.Serialization.SafeTensorsWriter();
        foreach (var (name, entry) in source.Entries)
            if (name != "model.decoder.layers.1.encoder_attn.v_proj.weight") writer.Add(name, source.ReadFloats(name), entry.Shape);
        writer.Save(Path.Combine(dir, "model.safetensors"));
        var e = Assert.Throws<DataFormatException>(() => MarianCheckpoint.Load(dir));
        Assert.Contains("'model.decoder.layers.1.encoder_attn.v_proj.weight' (64, 64) is missing", e.Message);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-4f, $"{what}: largest difference {worst}");
    }

    private static string CopyOf(string dir)
    {
        string copy = Directory.CreateTempSubdirectory("attend-marian-").FullName;
        foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        foreach (var f in Directory.GetFiles(copy)) File.SetAttributes(f, FileAttributes.Normal);
        return copy;
    }

    private static int[] Ints(JsonNode node) => Flatten(node).Select(n => (int)n).ToArray();

    private static float[] Floats(JsonNode node) => Flatten(node).Select(n => (float)n).ToArray();

    private static IEnumerable<JsonNode> Flatten(JsonNode node) => node is JsonArray a ? a.SelectMany(n => Flatten(n!)) : [node];
}
