// `attend tokenizer train|encode|decode`: learn a tokenizer from text files, and turn stdin lines into space-separated
// ids and back.
using System.CommandLine;
using System.Diagnostics;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Cli.Commands;

/// <summary>The `tokenizer` verb.</summary>
public static class TokenizerCommand
{
    /// <summary>Creates `attend tokenizer`.</summary>
    public static Command Create()
    {
        var cmd = new Command("tokenizer", "Train tokenizers and encode or decode text.");
        cmd.Add(CreateTrain());
        cmd.Add(CreateEncode());
        cmd.Add(CreateDecode());
        return cmd;
    }

    private static Command CreateTrain()
    {
        var type = new Option<string>("--type") { Description = "bpe (word-internal, </w> marker), bytebpe (GPT-2 style), word or char.", Required = true };
        type.AcceptOnlyFromAmong("bpe", "bytebpe", "word", "char");
        var size = new Option<int>("--vocab-size") { Description = "Vocabulary size, special tokens included.", Required = true };
        var input = new Option<string[]>("--input") { Description = "Training text file(s), plain or .gz; pass source and target files for a joint vocabulary.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write tokenizer.json.", Required = true };
        var standardize = new Option<string>("--standardize") { Description = "word only: lower_and_strip_punctuation, lower or none.", DefaultValueFactory = _ => "lower_and_strip_punctuation" };
        standardize.AcceptOnlyFromAmong("lower_and_strip_punctuation", "lower", "none");
        var cmd = new Command("train", "Learn a tokenizer from text files.") { type, size, input, output, standardize };
        cmd.SetAction(r =>
        {
            int vocab = r.GetValue(size);
            string kind = r.GetValue(type)!;
            int minimum = Tokenizers.MinimumVocabulary(kind);
            if (vocab < minimum) throw new UserErrorException($"--vocab-size: a {kind} tokenizer needs at least {minimum}, got {vocab}");
            var files = r.GetValue(input)!;
            foreach (var f in files) if (!File.Exists(f)) throw new UserErrorException($"--input: {f} not found");
            var lines = files.SelectMany(TextLines.Read).ToList();
            if (lines.All(string.IsNullOrWhiteSpace)) throw new UserErrorException($"--input: {string.Join(", ", files)} hold no text to learn a tokenizer from");
            var sw = Stopwatch.StartNew();
            var tok = Tokenizers.Train(kind, lines, vocab, r.GetValue(standardize) switch { "none" => Standardize.None, "lower" => Standardize.Lower, _ => Standardize.LowerAndStripPunctuation });
            TokenizerFile.Save(tok, r.GetValue(output)!);
            Console.Error.WriteLine($"{kind} tokenizer: {tok.Vocabulary.Count} tokens from {lines.Count} lines in {sw.Elapsed.TotalSeconds:F1} s → {r.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Option<string> TokenizerOption() => new("--tokenizer")
    {
        Description = "tokenizer.json to use, or a model directory: BERT (vocab.txt or tokenizer.json; its ids include [CLS] and [SEP]) GPT-2 (vocab.json + merges.txt; nothing added) or Marian (source.spm + vocab.json; the source side, with </s>).",
        Required = true,
    };

    private static Command CreateEncode()
    {
        var tokenizer = TokenizerOption();
        var cmd = new Command("encode", "Read lines from stdin, print each line's ids space-separated.") { tokenizer };
        cmd.SetAction(r =>
        {
            string path = r.GetValue(tokenizer)!;
            Func<string, int[]> encode;
            if (Directory.Exists(path) && MarianTokenizer.Exists(path))
            {
                var marian = MarianTokenizer.Load(path);                             // Marian: the source side, with </s>
                encode = marian.EncodeSource;
            }
            else if (Directory.Exists(path) && (File.Exists(Path.Combine(path, "vocab.json")) || Attend.Models.Gpt2Checkpoint.IsGpt2(path)))
            {
                var gpt2 = Gpt2TokenizerFiles.Load(path).Tokenizer;                  // GPT-2: nothing added
                encode = gpt2.Encode;
            }
            else if (Directory.Exists(path))
            {
                var wordPiece = BertTokenizerFiles.Load(path).Tokenizer;
                encode = line => wordPiece.Encode(line).Ids;
            }
            else encode = TokenizerFile.Load(path).Encode;
            foreach (var line in TextLines.Read(CliApp.OpenInput(), "<stdin>"))
                Console.Out.WriteLine(string.Join(' ', encode(line)));
            return 0;
        });
        return cmd;
    }

    private static Command CreateDecode()
    {
        var tokenizer = TokenizerOption();
        var cmd = new Command("decode", "Read lines of space-separated ids from stdin, print their text.") { tokenizer };
        cmd.SetAction(r =>
        {
            var tok = TokenizerFile.Load(r.GetValue(tokenizer)!);
            long lineNo = 0;
            foreach (var line in TextLines.Read(CliApp.OpenInput(), "<stdin>"))
            {
                lineNo++;
                var ids = new List<int>();
                foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(field, out int id) || id < 0 || id >= tok.Vocabulary.Count)
                        throw new DataFormatException("<stdin>", lineNo, $"'{field}' is not a token id (expected an integer in [0, {tok.Vocabulary.Count}))");
                    ids.Add(id);
                }
                Console.Out.WriteLine(tok.Decode(ids));
            }
            return 0;
        });
        return cmd;
    }
}
