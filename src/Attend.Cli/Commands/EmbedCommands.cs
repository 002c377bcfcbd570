// Sentence embeddings and semantic search with a BERT-family encoder (Attend or Hugging Face directory):
//   attend embed --model DIR [--pooling mean|cls] [--no-normalize] [--batch N] [--max-length N]
//       lines on stdin → one JSON array per line on stdout (mean pooling and L2 normalisation by default)
//   attend search --model DIR --corpus FILE [--top K]
//       embeds the corpus once (cached in FILE.attend-index beside it), then answers each query line on stdin with
//       its K nearest corpus lines by cosine similarity
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Attend.Nn;
using Attend.Tasks.Embedding;
using Attend.Text.Corpora;

namespace Attend.Cli.Commands;

/// <summary>`embed` and `search`.</summary>
public static class EmbedCommands
{
    private static Option<string> ModelOption() => new("--model") { Description = "BERT-family model directory (attend convert, or a Hugging Face directory).", Required = true };

    private static Option<int> BatchOption() => new("--batch") { Description = "Texts per forward pass.", DefaultValueFactory = _ => 32 };

    private static Option<int?> MaxLengthOption() => new("--max-length") { Description = "Tokens kept per text, [CLS] and [SEP] included (default: the model's limit)." };

    /// <summary>Creates `attend embed`.</summary>
    public static Command CreateEmbed()
    {
        var model = ModelOption();
        var pooling = new Option<string>("--pooling") { Description = "mean (over real tokens) or cls.", DefaultValueFactory = _ => "mean" };
        pooling.AcceptOnlyFromAmong("mean", "cls");
        var raw = new Option<bool>("--no-normalize") { Description = "Leave the pooled vectors unnormalised." };
        var batch = BatchOption();
        var maxLength = MaxLengthOption();
        var threads = CommonOptions.Threads();
        var cmd = new Command("embed", "Embed lines read from standard input; prints one JSON array per line.") { model, pooling, raw, batch, maxLength, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var embedder = Load(r.GetValue(model)!, r.GetValue(batch), r.GetValue(maxLength));
            var pool = r.GetValue(pooling) == "cls" ? Pooling.Cls : Pooling.Mean;
            foreach (var block in TextLines.Read(CliApp.OpenInput(), "<stdin>").Chunk(Math.Max(256, r.GetValue(batch))))
                foreach (var v in embedder.Embed(block, pool, !r.GetValue(raw), r.GetValue(batch), r.GetValue(maxLength)))
                    Console.Out.WriteLine(Json(v));
            return 0;
        });
        return cmd;
    }

    /// <summary>Creates `attend search`.</summary>
    public static Command CreateSearch()
    {
        var model = ModelOption();
        var corpus = new Option<string>("--corpus") { Description = "Text file, one document per line.", Required = true };
        var top = new Option<int>("--top") { Description = "Results per query.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "One JSON object per query: {\"query\", \"results\": [{\"line\", \"score\", \"text\"}]}." };
        var batch = BatchOption();
        var maxLength = MaxLengthOption();
        var threads = CommonOptions.Threads();
        var cmd = new Command("search", "Semantic search: each query line on standard input gets its nearest corpus lines by cosine similarity.") { model, corpus, top, json, batch, maxLength, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            if (r.GetValue(top) < 1) throw new UserErrorException($"--top must be at least 1, got {r.GetValue(top)}");
            string corpusPath = r.GetValue(corpus)!;
            if (!File.Exists(corpusPath)) throw new UserErrorException($"--corpus: {corpusPath} not found");
            var embedder = Load(r.GetValue(model)!, r.GetValue(batch), r.GetValue(maxLength));
            var lines = TextLines.Read(corpusPath).ToArray();
            if (lines.Length == 0) throw new UserErrorException($"--corpus: {corpusPath} has no lines");
            var index = SearchIndex.Open(corpusPath, lines, embedder, r.GetValue(model)!, r.GetValue(maxLength), batch: r.GetValue(batch), log: Console.Error.WriteLine);
            foreach (var query in TextLines.Read(CliApp.OpenInput(), "<stdin>"))
            {
                var hits = index.Search(embedder.Embed([query], maxLength: r.GetValue(maxLength))[0], r.GetValue(top));
                if (r.GetValue(json))
                    Console.Out.WriteLine(JsonSerializer.Serialize(new { query, results = hits.Select(h => new { line = h.Line + 1, score = Math.Round(h.Score, 6), text = lines[h.Line] }) }));
                else
                {
                    Console.Out.WriteLine(query);
                    foreach (var h in hits) Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {h.Score:F4}\t{h.Line + 1}\t{lines[h.Line]}"));
                }
            }
            return 0;
        });
        return cmd;
    }

    private static SentenceEmbedder Load(string dir, int batch, int? maxLength)
    {
        if (batch < 1) throw new UserErrorException($"--batch must be at least 1, got {batch}");
        var embedder = SentenceEmbedder.Load(dir);
        if (maxLength is int m && (m < 2 || m > embedder.Checkpoint.MaxLength))
            throw new UserErrorException($"--max-length: expected 2 … {embedder.Checkpoint.MaxLength} (the model's limit), got {m}");
        return embedder;
    }

    private static string Json(float[] v)
    {
        var sb = new StringBuilder(v.Length * 12).Append('[');
        for (int i = 0; i < v.Length; i++) sb.Append(i > 0 ? "," : "").Append(v[i].ToString("R", CultureInfo.InvariantCulture));
        return sb.Append(']').ToString();
    }
}
