// `attend generate --model DIR [--prompt TEXT] [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S]`:
// samples a continuation of the prompt from a decoder-only language model and streams it to stdout as tokens are
// produced (KV-cached; --no-cache recomputes every step). The same seed gives the same text. The prompt defaults to a
// newline, nanoGPT's start for Shakespeare. DIR is an Attend decoder-lm directory or a Hugging Face GPT-2 directory
// (config.json + model.safetensors + vocab.json/merges.txt), which stops after its end-of-text token.
// With --ids, stdin holds one prompt per line as space-separated token ids, and each line's output is the generated
// ids (the end-of-text id included when it is produced): the contract scripts and other tools rely on.
using Attend.Models;
using System.CommandLine;
using Attend.Decoding;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Cli.Commands;

/// <summary>The `generate` verb.</summary>
public static class GenerateCommand
{
    /// <summary>The most tokens one call generates (docs/limits.md): the streamed text is re-decoded as it grows.</summary>
    public const int MaxTokens = 100_000;

    /// <summary>Creates `attend generate`.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Language model directory (from attend train lm), or a Hugging Face GPT-2 directory.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate.", DefaultValueFactory = _ => 500 };
        var temperature = new Option<float>("--temperature") { Description = "Softmax temperature (0 = greedy).", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = all).", DefaultValueFactory = _ => 200 };
        var topP = new Option<float>("--top-p") { Description = "Sample among the most likely tokens whose probability reaches p.", DefaultValueFactory = _ => 1f };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampler.", DefaultValueFactory = _ => 1 };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole window every step (slower; same output)." };
        var idsMode = new Option<bool>("--ids") { Description = "Read prompts as space-separated token ids, one per stdin line; print the generated ids per line." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("generate", "Sample text from a language model, streaming it as it is produced.") { model, prompt, maxTokens, temperature, topK, topP, seed, noCache, idsMode, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var options = new SamplingOptions(r.GetValue(temperature), r.GetValue(topK), r.GetValue(topP));
            if (options.Problem() is { } problem) throw new UserErrorException(problem);
            if (r.GetValue(maxTokens) is < 0 or > MaxTokens) throw new UserErrorException($"--max-tokens must be between 0 and {MaxTokens:N0}, got {r.GetValue(maxTokens)}");
            var lm = LanguageModel.Load(r.GetValue(model)!);
            var generator = new LmGenerator(lm.Model);
            IEnumerable<int> Continue(int[] ids) =>
                generator.Generate(ids, r.GetValue(maxTokens), options, new Rng((ulong)r.GetValue(seed)), useCache: !r.GetValue(noCache), stop: lm.Stop);
            var output = Console.Out;
            if (r.GetValue(idsMode))
            {
                long lineNo = 0;
                foreach (var line in Attend.Text.Corpora.TextLines.Read(CliApp.OpenInput(), "<stdin>"))
                {
                    lineNo++;
                    output.WriteLine(string.Join(' ', Continue(PromptIds(line, lineNo, lm.Model.Config.VocabSize))));
                }
                return 0;
            }
            string text = r.GetValue(prompt)!;
            var ids = lm.Encode(text);
            if (ids.Length == 0) throw new UserErrorException("--prompt: the prompt must contain at least one token");
            output.Write(text);
            var produced = new List<int>();
            string shown = "";
            foreach (int id in Continue(ids))
            {
                // decode the whole continuation and print what is new, so multi-token characters appear whole
                produced.Add(id);
                string decoded = lm.Decode(produced);
                if (decoded.Length > shown.Length && decoded.StartsWith(shown, StringComparison.Ordinal))
                {
                    output.Write(decoded[shown.Length..]);
                    output.Flush();
                    shown = decoded;
                }
            }
            output.WriteLine();
            return 0;
        });
        return cmd;
    }

    private static int[] PromptIds(string line, long lineNo, int vocabSize)
    {
        var ids = new List<int>();
        foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(field, out int id) || id < 0 || id >= vocabSize)
                throw new Attend.Text.Corpora.DataFormatException("<stdin>", lineNo, $"'{field}' is not a token id (expected an integer in [0, {vocabSize}))");
            ids.Add(id);
        }
        if (ids.Count == 0) throw new Attend.Text.Corpora.DataFormatException("<stdin>", lineNo, "an empty prompt: expected at least one token id");
        return [.. ids];
    }

    /// <summary>A decoder-only model with the text ↔ ids of its tokenizer and the id generation stops after (null: none).</summary>
    private sealed record LanguageModel(DecoderLm Model, Func<string, int[]> Encode, Func<IReadOnlyList<int>, string> Decode, int? Stop)
    {
        public static LanguageModel Load(string dir)
        {
            if (Gpt2Checkpoint.IsGpt2(dir))
            {
                var gpt2 = Gpt2Checkpoint.Load(dir);
                return new LanguageModel(gpt2.Model, gpt2.Tokenizer.Encode, ids => gpt2.Tokenizer.Decode(ids, skipSpecials: true), gpt2.EndOfText);
            }
            var loaded = ModelRegistry.Load<DecoderLm>(dir);
            var tokenizer = loaded.Tokenizer ?? throw new UserErrorException($"{Path.Combine(dir, "tokenizer.json")} is missing: generation needs the model's tokenizer");
            return new LanguageModel(loaded.Model, tokenizer.Encode, ids => tokenizer.Decode(ids), null);
        }
    }
}
