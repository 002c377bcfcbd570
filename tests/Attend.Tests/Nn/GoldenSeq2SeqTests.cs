// The full seq2seq Transformer against PyTorch (../shared/../shared/golden/README.md §4.7), tied and separate output projections:
// embedded source, memory, logits, label-smoothed loss, every parameter gradient (the tied matrix's two parts added),
// and greedy and beam-search token ids, lengths, log-probs and normalised scores.
using Attend.Tests.Decoding;
using Attend.Models;
using System.Text.Json;
using Attend.Autograd;
using Attend.Decoding;
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Tests.Nn;

public class GoldenSeq2SeqTests
{
    private static (GoldenCase G, Seq2SeqTransformer Model) Load(string name)
    {
        var g = new GoldenCase(name);
        var config = JsonSerializer.Deserialize<Seq2SeqConfig>(g.Config.GetRawText())!;
        var model = new Seq2SeqTransformer(config, new Rng(1));
        var p = g.Params();
        model.LoadStateDict(p); // tied: generator.weight is the embedding tensor, loaded twice with the same values
        if (config.TieEmbeddings) Assert.Equal(g.Tensor("param.embedding.weight").Data, g.Tensor("param.generator.weight").Data);
        model.Eval();
        return (g, model);
    }

    [Theory]
    [InlineData("seq2seq_tied")]
    [InlineData("seq2seq_separate")]
    public void LogitsLossAndGradientsMatchTorch(string name)
    {
        var (g, model) = Load(name);
        var src = g.Ints("input.src");
        var tgtIn = g.Ints("input.tgt_in");
        var tgtOut = g.Ints("input.tgt_out");
        var (b, s, t) = (g.Shape("input.src")[0], g.Shape("input.src")[1], g.Shape("input.tgt_in")[1]);
        if (model.Config.TieEmbeddings) Assert.Same(model.Embedding.Weight, model.Generator.Weight);
        g.AssertClose("output.src_embedded", model.Embed(src, b, s).Data);
        g.AssertClose("output.memory", model.Encode(src, b, s).Data);
        var logits = model.Forward(src, s, tgtIn, t, b);
        g.AssertClose("output.logits", logits.Data);
        g.AssertClose("output.loss_ce", Ops.CrossEntropy(logits, tgtOut, ignoreIndex: 0, labelSmoothing: 0.1f).Data);
        g.Loss(new Dictionary<string, Tensor> { ["output.logits"] = logits }).Backward();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (pname, tensor) in model.NamedParameters())
        {
            if (!seen.Add(tensor)) continue; // the tied generator.weight: its gradient is stored once, as embedding.weight
            g.AssertClose("grad.param." + pname, tensor.Grad!);
        }
    }

    [Theory]
    [InlineData("seq2seq_tied")]
    [InlineData("seq2seq_separate")]
    public void GreedyAndBeamReproduceTorchTokens(string name)
    {
        var (g, model) = Load(name);
        var src = g.Ints("input.src");
        int b = g.Shape("input.src")[0], s = g.Shape("input.src")[1];
        int maxLen = g.Config.GetProperty("max_decode_len").GetInt32(), width = g.Config.GetProperty("beam_width").GetInt32();
        float alpha = g.Config.GetProperty("length_penalty_alpha").GetSingle();
        var greedy = g.Ints("output.greedy_tokens");
        var greedyLengths = g.Ints("output.greedy_lengths");
        var beamTokens = g.Ints("output.beam_tokens");
        var beamLengths = g.Ints("output.beam_lengths");
        var beamLogProb = g.Tensor("output.beam_logprob").Data;
        var beamScore = g.Tensor("output.beam_score").Data;
        for (int row = 0; row < b; row++)
        {
            var srcRow = src[(row * s)..((row + 1) * s)];
            var got = ReferenceDecoders.Greedy(model, srcRow, maxLen);
            Assert.Equal(greedyLengths[row], got.Length);
            Assert.Equal(greedy[(row * maxLen)..(row * maxLen + got.Length)], got);
            var hyps = ReferenceDecoders.Beam(model, srcRow, new DecodeOptions(maxLen, width, alpha));
            Assert.Equal(width, hyps.Count);
            for (int k = 0; k < width; k++)
            {
                int o = (row * width + k) * maxLen;
                Assert.Equal(beamLengths[row * width + k], hyps[k].Tokens.Length);
                Assert.Equal(beamTokens[o..(o + hyps[k].Tokens.Length)], hyps[k].Tokens);
                Assert.Equal(beamLogProb[row * width + k], hyps[k].LogProb, 1e-4);
                Assert.Equal(beamScore[row * width + k], hyps[k].Score, 1e-4);
            }
        }
    }
}
