// `attend train markov --text FILE --order 1|2|skip`: fits a smoothed Markov baseline on the split `train lm` uses and
// prints its validation loss (`train lm` itself runs the shared path: TrainCommand, TrainVerb).
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attend.Cli.Display;
using Attend.Kernels;
using Attend.Models;
using Attend.Serialization;
using Attend.Training;
using Attend.Tasks.LanguageModeling;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;
using Spectre.Console;

namespace Attend.Cli.Commands;

/// <summary>`train markov`.</summary>
public static class LmCommands
{
    /// <summary>Creates `attend train markov`.</summary>
    public static Command CreateTrainMarkov()
    {
        var text = new Option<string>("--text") { Description = "Text file (e.g. ../shared/data/tinyshakespeare/input.txt).", Required = true };
        var order = new Option<string>("--order") { Description = "1 (first order), 2 (second order) or skip (second order with skips).", DefaultValueFactory = _ => "2" };
        order.AcceptOnlyFromAmong("1", "2", "skip");
        var skips = new Option<int>("--skips") { Description = "Largest skip K of the skip model.", DefaultValueFactory = _ => 8 };
        var discount = new Option<double>("--discount") { Description = "Absolute discount of the smoothing, in (0, 1).", DefaultValueFactory = _ => 0.75 };
        var valid = new Option<double>("--valid-fraction") { Description = "Tail of the text held out for validation.", DefaultValueFactory = _ => 0.1 };
        var sample = new Option<int>("--sample") { Description = "Characters/tokens to sample after fitting (0 = none).", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary as the last line." };
        var cmd = new Command("markov", "Fit a smoothed Markov (n-gram) character model and report its validation loss.") { text, order, skips, discount, valid, sample, seed, json };
        cmd.SetAction(r =>
        {
            if (r.GetValue(discount) is <= 0 or >= 1) throw new UserErrorException("--discount: expected a number in (0, 1)");
            if (r.GetValue(skips) is < 1 or > MarkovLm.MaxSkips) throw new UserErrorException($"--skips: expected 1 to {MarkovLm.MaxSkips}, got {r.GetValue(skips)}");
            if (r.GetValue(valid) is <= 0 or >= 1) throw new UserErrorException($"--valid-fraction: expected a number in (0, 1), got {r.GetValue(valid)}");
            if (r.GetValue(sample) < 0) throw new UserErrorException($"--sample: expected 0 or more, got {r.GetValue(sample)}");
            var (trainText, validText) = TextSplit.Read(r.GetValue(text)!, r.GetValue(valid));
            var tokenizer = CharTokenizer.Train([trainText]);
            var train = tokenizer.Encode(trainText);
            var validIds = tokenizer.Encode(validText);
            var kind = r.GetValue(order) switch { "1" => MarkovOrder.First, "2" => MarkovOrder.Second, _ => MarkovOrder.SecondWithSkips };
            var model = MarkovLm.Train(train, tokenizer.Vocabulary.Count, kind, r.GetValue(skips), r.GetValue(discount));
            double trainLoss = model.CrossEntropy(train), validLoss = model.CrossEntropy(validIds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} Markov model (skips {model.Skips}, discount {model.Discount}): train loss {trainLoss:F4}, validation loss {validLoss:F4} nats/char ({validLoss / Math.Log(2):F3} bits) on {validIds.Length:N0} characters"));
            string generated = "";
            if (r.GetValue(sample) > 0)
            {
                var prompt = tokenizer.Encode("\n");
                generated = tokenizer.Decode(model.Sample(prompt, r.GetValue(sample), new Rng((ulong)r.GetValue(seed))));
                Console.WriteLine(generated);
            }
            if (r.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { order = kind.ToString(), skips = model.Skips, discount = model.Discount, train_loss = Math.Round(trainLoss, 4), valid_loss = Math.Round(validLoss, 4) }));
            return 0;
        });
        return cmd;
    }
}
