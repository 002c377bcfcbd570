// `attend generate --model DIR [--prompt TEXT] [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S]`:
// samples a continuation of the prompt from a decoder-only language model and streams it to stdout as tokens are
// produced (KV-cached; --no-cache recomputes every step). The same seed gives the same text. The prompt defaults to a
// newline, nanoGPT's start for Shakespeare.
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
        var model = new Option<string>("--model") { Description = "Language model directory (from attend train lm).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate.", DefaultValueFactory = _ => 500 };
        var temperature = new Option<float>("--temperature") { Description = "Softmax temperature (0 = greedy).", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = all).", DefaultValueFactory = _ => 200 };
        var topP = new Option<float>("--top-p") { Description = "Sample among the most likely tokens whose probability reaches p.", DefaultValueFactory = _ => 1f };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampler.", DefaultValueFactory = _ => 1 };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole window every step (slower; same output)." };
        var threads = CommonOptions.Threads();
        var cmd = new Command("generate", "Sample text from a language model, streaming it as it is produced.") { model, prompt, maxTokens, temperature, topK, topP, seed, noCache, threads };
        cmd.SetAction(r =>
        {
            CommonOptions.ApplyThreads(r.GetValue(threads));
            var options = new SamplingOptions(r.GetValue(temperature), r.GetValue(topK), r.GetValue(topP));
            if (options.Problem() is { } problem) throw new UserErrorException(problem);
            if (r.GetValue(maxTokens) is < 0 or > MaxTokens) throw new UserErrorException($"--max-tokens must be between 0 and {MaxTokens:N0}, got {r.GetValue(maxTokens)}");
            string dir = r.GetValue(model)!;
            var loaded = ModelRegistry.Load<DecoderLm>(dir);
            var tokenizer = loaded.Tokenizer ?? throw new UserErrorException($"{Path.Combine(dir, "tokenizer.json")} is missing: generation needs the model's tokenizer");
            string text = r.GetValue(prompt)!;
            var ids = tokenizer.Encode(text);
            if (ids.Length == 0) throw new UserErrorException("--prompt: the prompt must contain at least one token");
            var output = Console.Out;
            output.Write(text);
            var produced = new List<int>();
            string shown = "";
            var generator = new LmGenerator(loaded.Model);
            foreach (int id in generator.Generate(ids, r.GetValue(maxTokens), options, new Rng((ulong)r.GetValue(seed)), useCache: !r.GetValue(noCache)))
            {
                // decode the whole continuation and print what is new, so multi-token characters appear whole
                produced.Add(id);
                string decoded = tokenizer.Decode(produced);
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
}
