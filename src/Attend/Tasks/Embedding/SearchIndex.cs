// The embeddings of a corpus for semantic search, kept in FILE.attend-index beside the corpus so that the corpus is
// embedded once. The index names what it was made from (SHA-256 of the corpus bytes, of the model's config and
// weights files, the length cut); when any differs, or the file is damaged, it is rebuilt. Layout:
//   "ATTENDIX" · uint32 header length · JSON header {"key", "count", "dim"} · count × dim float32 (little-endian)
// Written atomically. Search is an exact scan: cosine similarity = dot product of unit vectors.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attend.Text;

namespace Attend.Tasks.Embedding;

/// <summary>One search result: the corpus line (0-based) and its cosine similarity.</summary>
public readonly record struct SearchHit(int Line, double Score);

/// <summary>Unit vectors of a corpus's lines.</summary>
public sealed class SearchIndex(float[][] vectors)
{
    private static readonly byte[] Magic = "ATTENDIX"u8.ToArray();

    public float[][] Vectors { get; } = vectors;

    /// <summary>The cache file of <paramref name="corpusPath"/>.</summary>
    public static string CachePath(string corpusPath) => corpusPath + ".attend-index";

    /// <summary>Reads the cache when it matches the corpus and model, else embeds the corpus and writes the cache.</summary>
    public static SearchIndex Open(string corpusPath, IReadOnlyList<string> lines, SentenceEmbedder embedder, string modelDir, int? maxLength, int batch = 32, Action<string>? log = null)
    {
        string key = Key(corpusPath, modelDir, maxLength ?? embedder.Checkpoint.MaxLength);
        string cache = CachePath(corpusPath);
        if (TryRead(cache, key, lines.Count, embedder.Dimension) is { } cached)
        {
            log?.Invoke($"index: {lines.Count:N0} lines from {cache}");
            return new SearchIndex(cached);
        }
        var start = DateTime.UtcNow;
        var vectors = embedder.Embed(lines, batchSize: batch, maxLength: maxLength);
        Write(cache, key, vectors, embedder.Dimension);
        log?.Invoke($"index: embedded {lines.Count:N0} lines in {(DateTime.UtcNow - start).TotalSeconds:F1} s → {cache}");
        return new SearchIndex(vectors);
    }

    /// <summary>The <paramref name="top"/> lines nearest to the unit vector <paramref name="query"/>, best first (ties: earlier line first).</summary>
    public SearchHit[] Search(float[] query, int top)
    {
        var scores = new double[Vectors.Length];
        for (int i = 0; i < Vectors.Length; i++)
        {
            double s = 0;
            var v = Vectors[i];
            for (int k = 0; k < v.Length; k++) s += (double)v[k] * query[k];
            scores[i] = s;
        }
        return [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(top).Select(i => new SearchHit(i, scores[i]))];
    }

    private static string Key(string corpusPath, string modelDir, int maxLength)
    {
        var files = new[] { corpusPath, Path.Combine(modelDir, "config.json"), Path.Combine(modelDir, "model.safetensors") };
        var sb = new StringBuilder($"max_length={maxLength};");
        foreach (var f in files)
        {
            using var stream = File.OpenRead(f);
            sb.Append(Convert.ToHexString(SHA256.HashData(stream))).Append(';');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static float[][]? TryRead(string path, string key, int count, int dim)
    {
        if (!File.Exists(path)) return null;
        long expected = Magic.Length + 4L + (long)count * dim * 4;
        var info = new FileInfo(path);
        if (info.Length < expected || info.Length > expected + (1 << 16)) return null;
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Magic.Length));
        if (headerLength < 0 || Magic.Length + 4L + headerLength + (long)count * dim * 4 != bytes.Length) return null;
        try
        {
            var header = JsonDocument.Parse(bytes.AsMemory(Magic.Length + 4, headerLength)).RootElement;
            if (header.GetProperty("key").GetString() != key || header.GetProperty("count").GetInt32() != count || header.GetProperty("dim").GetInt32() != dim) return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
        int offset = Magic.Length + 4 + headerLength;
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new float[dim];
            for (int k = 0; k < dim; k++) vectors[i][k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + (i * dim + k) * 4));
            if (vectors[i].Any(x => !float.IsFinite(x))) return null;
        }
        return vectors;
    }

    private static void Write(string path, string key, float[][] vectors, int dim)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new { key, count = vectors.Length, dim });
        var bytes = new byte[Magic.Length + 4 + header.Length + (long)vectors.Length * dim * 4];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Magic.Length), (uint)header.Length);
        header.CopyTo(bytes, Magic.Length + 4);
        int offset = Magic.Length + 4 + header.Length;
        foreach (var v in vectors)
            foreach (var x in v)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), x);
                offset += 4;
            }
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
