// The RNN encoder-decoder with attention: step decoding gives the teacher-forced logits (cached = uncached), batched
// greedy equals one-by-one, beam 1 equals greedy, reordering keeps the right rows, gradients match finite differences,
// padding never changes a row, save → load gives identical logits, and a small model learns to reverse strings.
using Attend.Autograd;
using Attend.Decoding;
using Attend.Models;
using Attend.Nn;
using Attend.Serialization;
using Attend.Tasks.Translation;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tests.Models;

public class RnnSeq2SeqTests
{
    private const int V = 12;

    public static TheoryData<string, string> Variants => new()
    {
        { "gru", "bahdanau" }, { "lstm", "bahdanau" }, { "gru", "dot" }, { "lstm", "general" }, { "gru", "general" }, { "gru", "cosine" }, { "lstm", "location" },
    };

    private static RnnSeq2Seq Model(string cell, string attention, ulong seed = 1, float dropout = 0f)
    {
        var cfg = new RnnSeq2SeqConfig
        {
            VocabSize = V, Cell = Names.Of<CellType>(cell), Attention = Names.Of<RnnAttention>(attention), EmbeddingDim = 6, EncoderHidden = 5, DecoderHidden = attention is "dot" or "cosine" ? 10 : 7, MaxSourceLength = 9,
            AttentionDim = 4, Dropout = dropout, PadId = 0, BosId = 2, EosId = 3,
        };
        var m = new RnnSeq2Seq(cfg, new Rng(seed));
        m.Eval();
        return m;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void StepLogitsEqualTeacherForcedLogits(string cell, string attention)
    {
        using var _ = GradMode.Off();
        var m = Model(cell, attention);
        int[] src = [4, 5, 6, 7, 3, 0, 0];                                    // padded: the encoder stops at the EOS
        int[] tgtIn = [2, 9, 4, 11, 5];
        var forced = m.Forward(src, src.Length, tgtIn, tgtIn.Length, 1);     // (1, T, V)
        var decoder = IncrementalDecoder.Start(m, src, 1, src.Length);
        for (int t = 0; t < tgtIn.Length; t++)
        {
            var step = decoder.Step([tgtIn[t]]);                             // (1, V)
            for (int j = 0; j < V; j++) Assert.Equal(forced.Data[t * V + j], step.Data[j], 5);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void PaddingAndBatchCompanionsNeverChangeARow(string cell, string attention)
    {
        using var _ = GradMode.Off();
        var m = Model(cell, attention, seed: 4);
        int[] alone = [4, 5, 3], tgt = [2, 7, 8];
        var single = m.Forward(alone, 3, tgt, 3, 1);
        // the same row padded to 6 beside a longer one
        int[] src = [4, 5, 3, 0, 0, 0, 9, 8, 7, 6, 5, 3];
        int[] tgtIn = [2, 7, 8, 2, 10, 11];
        var batched = m.Forward(src, 6, tgtIn, 3, 2);
        for (int i = 0; i < single.Size; i++) Assert.Equal(single.Data[i], batched.Data[i], 1e-5f); // within 1e-5: "5 decimal places" rounds, and fails at a rounding boundary on a 3e-8 difference
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BatchedGreedyAndBeamEqualOneByOneAndBeamOfOneEqualsGreedy(string cell, string attention)
    {
        var m = Model(cell, attention, seed: 7);
        var sources = new List<int[]> { new[] { 4, 5, 6, 3 }, new[] { 7, 3 }, new[] { 8, 9, 10, 11, 4, 3 } };
        var batched = Decoders.Greedy(m, sources, maxLength: 9);
        for (int i = 0; i < sources.Count; i++)
        {
            var single = Decoders.Greedy(m, [sources[i]], maxLength: 9)[0];
            Assert.Equal(single, batched[i]);
            Assert.Equal(single, Decoders.Beam(m, sources[i], new DecodeOptions(9, BeamWidth: 1))[0].Tokens);
        }
        var beams = BatchedBeam.Decode(m, sources, new DecodeOptions(9, BeamWidth: 3));
        for (int i = 0; i < sources.Count; i++)
            Assert.Equal(Decoders.Beam(m, sources[i], new DecodeOptions(9, BeamWidth: 3)).Select(h => string.Join(",", h.Tokens)), beams[i].Select(h => string.Join(",", h.Tokens)));
    }

    [Fact]
    public void ReorderedStatesContinueLikeFreshOnes()
    {
        using var _ = GradMode.Off();
        var m = Model("lstm", "general", seed: 9);
        int[] src = [4, 5, 6, 3, 7, 8, 3, 0];
        var two = m.Encode(src, 2, 4);
        m.Step(two, [2, 2]);
        RnnSeq2Seq.Reorder(two, [1, 0, 1]);
        var after = m.Step(two, [5, 6, 7]);                                  // (3, V)
        var one = m.Encode([7, 8, 3, 0], 1, 4);
        m.Step(one, [2]);
        var expected = m.Step(one, [7]);
        for (int j = 0; j < V; j++) Assert.Equal(expected.Data[j], after.Data[2 * V + j], 5);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ParameterGradientsMatchFiniteDifferences(string cell, string attention)
    {
        var m = Model(cell, attention, seed: 11);
        int[] src = [4, 5, 6, 3, 7, 3, 0, 0], tgtIn = [2, 9, 4, 2, 5, 6]; // no padding in the target: a padding row has no gradient by design, yet its value would count
        var parameters = m.Parameters().ToArray();
        GradCheck.Check($"rnn seq2seq {cell} {attention}", _ => m.Forward(src, 4, tgtIn, 3, 2), parameters, h: 1e-2f, rtol: 5e-2, atol: 5e-3, samplesPerInput: 6);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheAttentionMapHasOneDistributionPerOutputTokenOverTheSource(string cell, string attention)
    {
        var m = Model(cell, attention, seed: 15);
        int[] src = [4, 5, 6, 3], output = [7, 8, 3];
        var maps = CrossAttentionMap.Compute((Seq2SeqModel)m, src, output);            // the entry point the demo and heatmaps use
        var map = Assert.Single(maps);
        Assert.Equal(output.Length * src.Length, map.Length);
        for (int t = 0; t < output.Length; t++) Assert.Equal(1.0, map.AsSpan(t * src.Length, src.Length).ToArray().Sum(), 5);
        Assert.NotEqual(map.AsSpan(0, src.Length).ToArray(), map.AsSpan(src.Length, src.Length).ToArray()); // it moves with the step
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalLogitsAndTheArchitecture()
    {
        var m = Model("gru", "bahdanau", seed: 13);
        string dir = Directory.CreateTempSubdirectory("attend-rnn-").FullName;
        ModelRegistry.Save(dir, m);
        Assert.Equal(RnnSeq2Seq.Kind.Name, ModelDirectory.ReadHeader(dir).Architecture);
        var loaded = Assert.IsType<RnnSeq2Seq>(ModelRegistry.Load<Seq2SeqModel>(dir).Model);
        int[] src = [4, 5, 3, 0], tgt = [2, 6, 7];
        Assert.Equal(m.Forward(src, 4, tgt, 3, 1).Data, loaded.Forward(src, 4, tgt, 3, 1).Data);
        Assert.Equal(m.Config, loaded.Config);
    }

    [Theory]
    [InlineData("cell", "\"rnn\"", "expected one of rnn_tanh, lstm, gru")]
    [InlineData("cell", "\"rnn_tanh\"", "cell must be gru or lstm")]
    [InlineData("attention", "\"luong\"", "expected one of bahdanau, dot, general, cosine, location")]
    public void BadConfigsNameTheKey(string key, string value, string expected)
    {
        string problem;
        try
        {
            problem = System.Text.Json.JsonSerializer.Deserialize<RnnSeq2SeqConfig>($"{{\"vocab_size\": 10, \"{key}\": {value}}}")!.Problem()!;
        }
        catch (System.Text.Json.JsonException e)
        {
            problem = e.Message;
            Assert.Contains(key, e.Path);
        }
        Assert.Contains(expected, problem);
        var dot = new RnnSeq2SeqConfig { VocabSize = 10, Attention = RnnAttention.Dot, EncoderHidden = 8, DecoderHidden = 12 };
        Assert.Contains("decoder_hidden = 2·encoder_hidden", dot.Problem());
    }

    [Theory]
    [InlineData("bahdanau")]
    [InlineData("general")]
    [InlineData("cosine")]
    [InlineData("location")]
    public void ASmallModelLearnsToReverseStrings(string attention)
    {
        var rng = new Rng(7);
        var data = Enumerable.Range(0, 640).Select(_ =>
        {
            var s = new string(Enumerable.Range(0, 3 + rng.NextInt(4)).Select(_ => (char)('0' + rng.NextInt(8))).ToArray());
            return (Source: s, Target: new string(s.Reverse().ToArray()));
        }).ToList();
        var tok = CharTokenizer.Train(data.Select(p => p.Source));
        var model = new RnnSeq2Seq(new RnnSeq2SeqConfig
        {
            VocabSize = tok.Vocabulary.Count, Attention = Names.Of<RnnAttention>(attention), EmbeddingDim = 16, EncoderHidden = 32, DecoderHidden = 64, AttentionDim = 32, MaxSourceLength = 8,
            Dropout = 0f, PadId = SpecialTokens.Pad, BosId = SpecialTokens.Bos, EosId = SpecialTokens.Eos,
        }, new Rng(3));
        var translator = new Translator(model, tok);
        Example Ex((string Source, string Target) p) => new(translator.EncodeSource(p.Source), tok.Encode(p.Target));
        var task = new TranslationTask(model, tok, data.Take(600).Select(Ex).ToList(), data.Skip(600).Select(Ex).ToList(), data.Skip(600).Select(p => p.Target).ToList(),
            maxTokens: 400, seed: 3, labelSmoothing: 0f, new TranslationValidation(MaxLength: 10, Metric: "exact_match"));
        var trainer = new Trainer(task, new Adam(model.Parameters(), 0f), new ConstantSchedule(1e-2f), new TrainerOptions { MaxSteps = 400, ValidEvery = 100, AverageLast = 0 });
        var result = trainer.Run(Directory.CreateTempSubdirectory("attend-rnn-train-").FullName, resume: false);
        // the best validation, as the trainer keeps it: a constant 1e-2 makes the last steps' outcome depend on rounding
        // (each vector path sums in its own order), not on whether the model learned
        double best = result.Curve.Max(p => p.Metrics["exact_match"]);
        Assert.True(best >= 0.9, $"best exact match {best} ({string.Join(", ", result.Curve.Select(p => p.Metrics["exact_match"]))})");
    }
}
