// What only a real process shows: writes to a closed pipe or a full device end the run with a one-line error (the
// console stream of .NET drops those errors, so `attend generate | head` would otherwise run on), and model
// directories (a translator's and a language model's) mutated at random (config.json, tokenizer.json, the
// safetensors header) never crash `attend` or take more memory than 2 × the weights file + 200 MB: each runs under
// that GC heap limit and must answer 0 or 2 with no stack trace.
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Attend.Cli.Commands;
using Attend.Tensors;

namespace Attend.Cli.Tests;

[Collection("console")]
public class ProcessLimitsTests
{
    private static readonly string Attend = typeof(CliApp).Assembly.Location;

    private static (int Code, string Out, string Err) Shell(string script, IDictionary<string, string>? env = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"'{script}' did not finish within 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";

    [Fact]
    public void GenerateStopsWhenItsReaderCloses()
    {
        string lm = Path.Combine(CliRunner.TempDir(), "lm");
        var (code, _, err) = CliRunner.Run(null, "train", "lm", "--config", LmConfig(Path.GetDirectoryName(lm)!), "--out", lm);
        Assert.True(code == 0, err);
        // PIPESTATUS[0] is attend's exit code; head exits after 10 bytes
        var (_, output, stderr) = Shell($"dotnet {Q(Attend)} generate --model {Q(Path.Combine(lm, "model"))} --max-tokens 100000 | head -c 10; echo \" attend=${{PIPESTATUS[0]}}\"");
        Assert.Contains("attend=2", output);
        Assert.Contains("broken pipe", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void AFullOutputDeviceIsAnError()
    {
        string model = BadInputTests.TinyTranslator(CliRunner.TempDir());
        var (code, _, err) = Shell($"dotnet {Q(Attend)} translate --model {Q(model)} > /dev/full", stdin: "abc\nfed\n");
        Assert.Equal(2, code);
        Assert.Contains("No space left on device", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MutatedModelDirectoriesNeverCrashOrOverrunTheHeap()
    {
        string dir = CliRunner.TempDir();
        string translator = BadInputTests.TinyTranslator(dir), lm = BadInputTests.TinyLm(dir);
        long weights = Math.Max(new FileInfo(Path.Combine(translator, "model.safetensors")).Length, new FileInfo(Path.Combine(lm, "model.safetensors")).Length);
        // the CLI's 64 MiB GC regions need more than this limit just to start; 4 MiB regions are what a small container needs too
        var env = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x" + (2 * weights + (200L << 20)).ToString("X"), ["DOTNET_GCRegionSize"] = "0x400000" };
        var rng = new Rng(2024);
        var failures = new List<string>();
        for (int i = 0; i < 48; i++)
        {
            string original = i % 2 == 0 ? translator : lm;
            string copy = Path.Combine(dir, $"m{i}");
            Directory.CreateDirectory(copy);
            foreach (var f in Directory.GetFiles(original)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
            string what = Mutate(copy, rng);
            string verb = i % 2 == 0 ? $"translate --model {Q(copy)} --beam {1 + rng.NextInt(4)}" : $"generate --model {Q(copy)} --prompt abc --max-tokens 20";
            var (code, _, err) = Shell($"dotnet {Q(Attend)} {verb}", env, "abc\nfed cab\n");
            if (code is not (0 or 2) || err.Contains("   at ") || err.Contains("Unhandled", StringComparison.Ordinal) || (code == 2 && !err.StartsWith("error: ", StringComparison.Ordinal)))
                failures.Add($"{verb.Split(' ')[0]}, {what}: exit {code}: {err}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static readonly object?[] Odd = [0, -1, 1, 3, 7, int.MaxValue, 1_000_000_000, 10_000_000, 65_536, 1e30, 0.5, "x", null, true];

    // one random change to the directory; returns what it did
    private static string Mutate(string dir, Rng rng)
    {
        switch (rng.NextInt(6))
        {
            case 0 or 1:
            {
                string path = Path.Combine(dir, "config.json");
                var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                var config = root["config"]!.AsObject();
                var keys = config.Select(p => p.Key).ToArray();
                string key = keys[rng.NextInt(keys.Length)];
                var value = Odd[rng.NextInt(Odd.Length)];
                config[key] = value is null ? null : JsonValue.Create(value);
                File.WriteAllText(path, root.ToJsonString());
                return $"config.{key} = {value ?? "null"}";
            }
            case 2:
            {
                string path = Path.Combine(dir, "tokenizer.json");
                var text = File.ReadAllText(path);
                int cut = rng.NextInt(text.Length);
                File.WriteAllText(path, rng.NextInt(2) == 0 ? text[..cut] : text.Remove(cut, Math.Min(5, text.Length - cut)));
                return $"tokenizer.json cut at {cut}";
            }
            case 3:
            {
                // rewrite a number in the safetensors header (shapes, offsets)
                string path = Path.Combine(dir, "model.safetensors");
                var bytes = File.ReadAllBytes(path);
                int headerLength = (int)BitConverter.ToUInt64(bytes, 0);
                var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
                var digits = Enumerable.Range(0, header.Length).Where(j => char.IsAsciiDigit(header[j])).ToArray();
                int at = digits[rng.NextInt(digits.Length)];
                char replacement = (char)('0' + rng.NextInt(10));
                var mutated = Encoding.UTF8.GetBytes(header.Remove(at, 1).Insert(at, replacement.ToString()));
                Array.Copy(mutated, 0, bytes, 8, Math.Min(mutated.Length, headerLength));
                File.WriteAllBytes(path, bytes);
                return $"safetensors header digit {at} → {replacement}";
            }
            case 4:
            {
                string path = Path.Combine(dir, "model.safetensors");
                var bytes = File.ReadAllBytes(path);
                int cut = rng.NextInt(bytes.Length);
                File.WriteAllBytes(path, bytes[..cut]);
                return $"safetensors truncated to {cut} bytes";
            }
            default:
            {
                string path = Path.Combine(dir, "model.safetensors");
                var bytes = File.ReadAllBytes(path);
                ulong huge = rng.NextInt(2) == 0 ? ulong.MaxValue : (ulong)bytes.Length * 1000;
                BitConverter.GetBytes(huge).CopyTo(bytes, 0);
                File.WriteAllBytes(path, bytes);
                return $"safetensors header length {huge}";
            }
        }
    }

    private static string LmConfig(string dir)
    {
        string text = Path.Combine(dir, "text.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("to be or not to be, that is the question.\n", 40)));
        string path = Path.Combine(dir, "lm.json");
        File.WriteAllText(path, $$"""
            { "task": "lm", "seed": 1, "data": { "text": {{System.Text.Json.JsonSerializer.Serialize(text)}} }, "tokenizer": { "type": "char", "vocab_size": 64 },
              "model": { "context": 8, "d_model": 16, "nhead": 2, "num_layers": 1, "dropout": 0.0 },
              "optim": { "lr": 0.003, "warmup": 2, "batch_size": 4 }, "train": { "max_steps": 2, "valid_every": 2, "valid_batches": 1, "final_valid_batches": 1, "threads": 1 },
              "sample": { "prompt": "to ", "max_tokens": 5 } }
            """);
        return path;
    }
}
