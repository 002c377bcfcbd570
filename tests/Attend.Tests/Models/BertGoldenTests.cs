// A Hugging Face BertForSequenceClassification directory (tests/golden/hf/bert_tiny, copied from
// ../shared/golden/hf; see its README §3–4) read as it is: token ids exactly as BertTokenizer gives them, and the
// last hidden states, pooled vectors and logits within 1e-4 of the float64 reference. Attend's own directory written
// from it (attend convert hf) reloads to the same numbers, and the refusals name the file and the fix.
using System.Text.Json.Nodes;
using Attend.Autograd;
using Attend.Models;
using Attend.Text.Corpora;

namespace Attend.Tests.Models;

public sealed class BertGoldenTests
{
    private static string Dir => Path.Combine(GoldenCase.Directory, "hf", "bert_tiny");
    private static JsonObject Reference => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference.json")))!;

    [Fact]
    public void TokenIdsAreThoseOfHuggingFacesBertTokenizer()
    {
        var checkpoint = BertCheckpoint.Load(Dir);
        var cases = (JsonArray)Reference["tokenizer"]!["cases"]!;
        Assert.Equal(30, cases.Count);
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var expected = c["ids"]!.AsArray().Select(i => (int)i!).ToArray();
            var tokens = c["tokens"]!.AsArray().Select(i => (string)i!).ToArray();
            Assert.True(expected.SequenceEqual(checkpoint.Tokenizer.Encode(text).Ids), $"{text}: expected [{string.Join(" ", tokens)}], got [{string.Join(" ", checkpoint.Tokenizer.Tokenize(text))}]");
        }
    }

    [Fact]
    public void HiddenStatesPoolerAndLogitsMatchTheReference()
    {
        var checkpoint = BertCheckpoint.Load(Dir);
        Assert.IsType<BertClassifier>(checkpoint.Model);
        Assert.Equal(["NEGATIVE", "POSITIVE"], checkpoint.Classifier!.Labels);
        AssertMatches(checkpoint, Reference["batch"]!.AsObject());
    }

    [Fact]
    public void PairsGetSegmentIdsAndTheBatchIsPaddedLikeTheReference()
    {
        var checkpoint = BertCheckpoint.Load(Dir);
        var batch = Reference["batch"]!.AsObject();
        var texts = batch["texts"]!.AsArray().Select(t => t!.AsArray().Select(s => (string)s!).ToArray()).ToArray();
        var inputs = texts.Select(t => checkpoint.Tokenizer.Encode(t[0], t.Length > 1 ? t[1] : null)).ToList();
        var padded = BertBatch.From(inputs, checkpoint.Tokenizer.PadId);
        Assert.Equal(Ints(batch["input_ids"]!), padded.Ids);
        Assert.Equal(Ints(batch["token_type_ids"]!), padded.TypeIds);
        Assert.Equal(Ints(batch["attention_mask"]!).Select(m => m == 0), padded.Padding().Data);
    }

    [Fact]
    public void AnAttendDirectoryWrittenFromItReloadsToTheSameNumbers()
    {
        var checkpoint = BertCheckpoint.Load(Dir);
        string dir = Directory.CreateTempSubdirectory("attend-bert-").FullName;
        checkpoint.Save(dir);
        Assert.False(BertCheckpoint.IsHuggingFace(dir));
        var again = BertCheckpoint.Load(dir);
        Assert.IsType<BertClassifier>(again.Model);
        Assert.Equal(checkpoint.Tokenizer.Tokens, again.Tokenizer.Tokens);
        Assert.Equal(checkpoint.Tokenizer.PreTokenizer.LowerCase, again.Tokenizer.PreTokenizer.LowerCase);
        AssertMatches(again, Reference["batch"]!.AsObject());
    }

    [Fact]
    public void TheEncoderAloneLoadsFromTheClassifiersFileWithoutItsHead()
    {
        string dir = CopyOf(Dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        config["architectures"] = new JsonArray("BertModel");
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        var checkpoint = BertCheckpoint.Load(dir);
        var encoder = Assert.IsType<BertModel>(checkpoint.Model);
        var batch = Reference["batch"]!.AsObject();
        using var _ = GradMode.Off();
        var pooled = encoder.Pool(encoder.Forward(BatchOf(batch)));
        AssertClose(Floats(batch["pooler_output"]!), pooled.Data, "pooler_output");
    }

    [Fact]
    public void APickleIsRefusedNamingSafetensorsAsTheFix()
    {
        string dir = CopyOf(Dir);
        File.Move(Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "pytorch_model.bin"));
        var e = Assert.Throws<DataFormatException>(() => BertCheckpoint.Load(dir));
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void UnsupportedConfigsNameTheKey()
    {
        string dir = CopyOf(Dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        config["position_embedding_type"] = "relative_key";
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        Assert.Contains("position_embedding_type", Assert.Throws<DataFormatException>(() => BertCheckpoint.Load(dir)).Message);
        config["position_embedding_type"] = "absolute";
        config["hidden_act"] = "mish";
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        Assert.Contains("hidden_act", Assert.Throws<DataFormatException>(() => BertCheckpoint.Load(dir)).Message);
        config["hidden_act"] = "gelu";
        config["model_type"] = "roberta";
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        Assert.Contains("model_type", Assert.Throws<DataFormatException>(() => BertCheckpoint.Load(dir)).Message);
    }

    private static void AssertMatches(BertCheckpoint checkpoint, JsonObject batch)
    {
        var model = checkpoint.Classifier!;
        var input = BatchOf(batch);
        using var _ = GradMode.Off();
        var hidden = model.Bert.Forward(input);
        AssertClose(Floats(batch["last_hidden_state"]!), hidden.Data, "last_hidden_state");
        AssertClose(Floats(batch["pooler_output"]!), model.Bert.Pool(hidden).Data, "pooler_output");
        AssertClose(Floats(batch["logits"]!), model.Forward(input).Data, "logits");
    }

    private static BertBatch BatchOf(JsonObject batch)
    {
        var ids = batch["input_ids"]!.AsArray();
        int b = ids.Count, t = ids[0]!.AsArray().Count;
        var lengths = batch["attention_mask"]!.AsArray().Select(row => row!.AsArray().Sum(m => (int)m!)).ToArray();
        return new BertBatch(Ints(ids), Ints(batch["token_type_ids"]!), lengths, b, t);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-4f, $"{what}: largest difference {worst}");
    }

    private static int[] Ints(JsonNode node) => Flatten(node).Select(n => (int)n).ToArray();

    private static float[] Floats(JsonNode node) => Flatten(node).Select(n => (float)n).ToArray();

    private static IEnumerable<double> Flatten(JsonNode node) => node is JsonArray a ? a.SelectMany(n => Flatten(n!)) : [(double)node];

    private static string CopyOf(string source)
    {
        string dir = Directory.CreateTempSubdirectory("attend-bert-").FullName;
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }
}
