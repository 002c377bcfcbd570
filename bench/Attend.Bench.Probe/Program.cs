// A frozen encoder + logistic regression on IMDB: the baseline beside fine-tuning (docs/pretrained.md). Every review is
// embedded once by the pretrained encoder as `attend embed` does (mean pooling, L2-normalised, cut at the head to
// --max-length tokens, "<br />" removed), the vectors are cached beside --cache, and a multinomial logistic regression
// with an L2 penalty is fitted on the training vectors: the penalty is chosen on a held-out tenth of the training set,
// then the model is refitted on all of it and scored once on the test set. Prints one JSON document.
//   dotnet run -c Release --project bench/Attend.Bench.Probe -- --model runs/minilm --imdb ../shared/data/imdb/aclImdb_train_test.tar.gz
using System.Diagnostics;
using System.Text.Json;
using Attend.Kernels;
using Attend.Nn;
using Attend.Tasks.Classification;
using Attend.Tasks.Embedding;

var options = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string model = options.GetValueOrDefault("model", "runs/minilm");
string imdb = options.GetValueOrDefault("imdb", "../shared/data/imdb/aclImdb_train_test.tar.gz");
int maxLength = int.Parse(options.GetValueOrDefault("max-length", "256"));
string cache = options.GetValueOrDefault("cache", Path.Combine(Path.GetTempPath(), "attend-probe"));
Parallelism.Degree = int.Parse(options.GetValueOrDefault("threads", Environment.ProcessorCount.ToString()));
Directory.CreateDirectory(cache);

var embedder = SentenceEmbedder.Load(model);
var (trainX, trainY, trainSeconds) = Embedded("train");
var (testX, testY, testSeconds) = Embedded("test");
int dim = trainX[0].Length, classes = trainY.Max() + 1;

// the penalty on a held-out tenth (a fixed shuffle), then a refit on all training vectors
var order = Enumerable.Range(0, trainX.Length).ToArray();
new Random(1).Shuffle(order);
int held = trainX.Length / 10;
var fitIdx = order[held..];
var heldIdx = order[..held];
var scores = new Dictionary<double, double>();
foreach (double l2 in new[] { 0.0, 1e-5, 1e-4, 1e-3, 1e-2 })
{
    var w = Fit([.. fitIdx.Select(i => trainX[i])], [.. fitIdx.Select(i => trainY[i])], l2);
    scores[l2] = Accuracy(w, [.. heldIdx.Select(i => trainX[i])], [.. heldIdx.Select(i => trainY[i])]);
    Console.Error.WriteLine($"l2 {l2:G}: held-out accuracy {scores[l2]:P2}");
}
double best = scores.MaxBy(kv => kv.Value).Key;
var final = Fit(trainX, trainY, best);
double test = Accuracy(final, testX, testY);
Console.Error.WriteLine($"test accuracy {test:P2} (l2 {best:G})");
Console.WriteLine(JsonSerializer.Serialize(new
{
    machine = new { cpu = Cpu(), cores = Environment.ProcessorCount, threads = Parallelism.Degree },
    model, max_length = maxLength, pooling = "mean, L2-normalised", train_texts = trainX.Length, test_texts = testX.Length,
    embed_seconds = new { train = Math.Round(trainSeconds, 1), test = Math.Round(testSeconds, 1) },
    l2 = best, held_out_accuracy = Math.Round(scores[best], 4), test_accuracy = Math.Round(test, 4),
}, new JsonSerializerOptions { WriteIndented = true }));

(float[][] X, int[] Y, double Seconds) Embedded(string split)
{
    string file = Path.Combine(cache, $"imdb-{split}-{maxLength}.bin");
    var texts = ClassificationData.Imdb(imdb, split);
    int[] labels = [.. texts.Select(t => t.Label)];
    if (File.Exists(file))
    {
        using var r = new BinaryReader(File.OpenRead(file));
        int n = r.ReadInt32(), d = r.ReadInt32();
        if (n == texts.Count)
        {
            var cached = new float[n][];
            for (int i = 0; i < n; i++) { cached[i] = new float[d]; for (int k = 0; k < d; k++) cached[i][k] = r.ReadSingle(); }
            Console.Error.WriteLine($"{split}: {n:N0} vectors from {file}");
            return (cached, labels, double.NaN);
        }
    }
    var sw = Stopwatch.StartNew();
    var vectors = new float[texts.Count][];
    const int chunk = 512;
    for (int start = 0; start < texts.Count; start += chunk)
    {
        var part = texts.Skip(start).Take(chunk).Select(t => t.Text.Replace("<br />", " ")).ToList();
        var v = embedder.Embed(part, Pooling.Mean, normalize: true, batchSize: 32, maxLength: maxLength);
        v.CopyTo(vectors, start);
        double done = Math.Min(texts.Count, start + chunk);
        Console.Error.Write($"\r{split}: {done:N0}/{texts.Count:N0} texts embedded, {done / sw.Elapsed.TotalSeconds:F1} texts/s   ");
    }
    Console.Error.WriteLine();
    string temp = file + ".tmp";
    using (var w = new BinaryWriter(File.Create(temp)))
    {
        w.Write(vectors.Length);
        w.Write(vectors[0].Length);
        foreach (var v in vectors) foreach (float x in v) w.Write(x);
    }
    File.Move(temp, file, overwrite: true);
    return (vectors, labels, sw.Elapsed.TotalSeconds);
}

// softmax regression on features scaled by Scale, full-batch Adam on the mean cross-entropy + l2/2·‖W‖² (bias unpenalised)
double[,] Fit(float[][] x, int[] y, double l2)
{
    int n = x.Length, d = dim + 1;
    var w = new double[classes, d];
    var m = new double[classes, d];
    var v = new double[classes, d];
    var grad = new double[classes, d];
    var p = new double[classes];
    const double lr = 0.05, b1 = 0.9, b2 = 0.999;
    for (int step = 1; step <= 600; step++)
    {
        Array.Clear(grad);
        for (int i = 0; i < n; i++)
        {
            Probabilities(w, x[i], p);
            for (int c = 0; c < classes; c++)
            {
                double g = (p[c] - (y[i] == c ? 1 : 0)) / n;
                for (int k = 0; k < dim; k++) grad[c, k] += g * x[i][k] * Scale;
                grad[c, dim] += g;
            }
        }
        for (int c = 0; c < classes; c++)
            for (int k = 0; k < d; k++)
            {
                double g = grad[c, k] + (k < dim ? l2 * w[c, k] : 0);
                m[c, k] = b1 * m[c, k] + (1 - b1) * g;
                v[c, k] = b2 * v[c, k] + (1 - b2) * g * g;
                w[c, k] -= lr * (m[c, k] / (1 - Math.Pow(b1, step))) / (Math.Sqrt(v[c, k] / (1 - Math.Pow(b2, step))) + 1e-8);
            }
    }
    return w;
}

double Accuracy(double[,] w, float[][] x, int[] y)
{
    var p = new double[classes];
    int right = 0;
    for (int i = 0; i < x.Length; i++)
    {
        Probabilities(w, x[i], p);
        if (Array.IndexOf(p, p.Max()) == y[i]) right++;
    }
    return (double)right / x.Length;
}

void Probabilities(double[,] w, float[] xi, double[] p)
{
    for (int c = 0; c < classes; c++)
    {
        double z = w[c, dim];
        for (int k = 0; k < dim; k++) z += w[c, k] * xi[k] * Scale;
        p[c] = z;
    }
    double max = p.Max(), sum = 0;
    for (int c = 0; c < classes; c++) sum += p[c] = Math.Exp(p[c] - max);
    for (int c = 0; c < classes; c++) p[c] /= sum;
}

static string Cpu()
{
    try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"; }
    catch (IOException) { return "unknown"; }
}

// unit vectors have entries of about 1/√384; scaling them to about unit size keeps Adam's step meaningful
partial class Program
{
    private const double Scale = 20.0;
}
