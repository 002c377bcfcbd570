// The bag-of-n-grams baseline of the lecture notes (logistic regression on binary unigram and bigram features, as
// fastText's linear model without its hidden layer): a review is the set of its distinct word ids and hashed word
// bigrams; the logits are the sum of one weight row per feature plus a bias. (A mean would divide the pull of a
// telling feature by the length of the text; summed binary features are textbook logistic regression.) Bigrams are
// hashed into a fixed number of buckets (the hashing trick), so no bigram vocabulary is stored.
using System.Text.Json.Serialization;
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>Hyperparameters of <see cref="BagOfNgrams"/>.</summary>
public sealed record BagOfNgramsConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    /// <summary>Buckets for hashed bigrams (0 = unigrams only).</summary>
    [JsonPropertyName("bigram_buckets")] public int BigramBuckets { get; init; } = 1 << 20;

    public string? Problem() =>
        VocabSize <= 4 ? $"vocab_size: expected more than the 4 special tokens, got {VocabSize}"
        : BigramBuckets < 0 ? $"bigram_buckets: expected 0 (unigrams only) or more, got {BigramBuckets}"
        : null;
}

/// <summary>Sequences of word ids → logits (B, K), linear in the set of unigrams and hashed bigrams.</summary>
public sealed class BagOfNgrams : Module
{
    public BagOfNgrams(BagOfNgramsConfig config, int classes)
    {
        if (config.Problem() is { } problem) throw new ArgumentException("bow config: " + problem);
        Config = config;
        Weight = Parameter("weight", Tensor.Zeros(config.VocabSize + config.BigramBuckets, classes)); // (V + buckets, K)
        Bias = Parameter("bias", Tensor.Zeros(classes));
    }

    public BagOfNgramsConfig Config { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    /// <summary>sequences: B lists of word ids → logits (B, K).</summary>
    public Tensor Forward(IReadOnlyList<int[]> sequences)
    {
        var features = sequences.Select(Features).ToList();
        int b = features.Count, f = Math.Max(1, features.Max(x => x.Length)), k = Bias.Size;
        var ids = new int[b * f];
        var keep = new float[b * f]; // 1 at features, 0 at padding
        for (int i = 0; i < b; i++)
        {
            features[i].CopyTo(ids, i * f);
            keep.AsSpan(i * f, features[i].Length).Fill(1f);
        }
        var rows = Ops.Mul(Ops.Embedding(Weight, ids, [b, f]), new Tensor(keep, new Shape(b, f, 1))); // (B, F, K)
        return Ops.Add(Ops.Sum(rows, 1), Bias);                                                       // (B, K)
    }

    /// <summary>
    /// The distinct features of a sequence in order of first appearance: word ids (not padding) and, for each adjacent
    /// pair, V + hash(a, b) mod buckets. A sequence without words gets the unknown word, so it has a feature.
    /// </summary>
    public int[] Features(int[] ids)
    {
        var seen = new HashSet<int>();
        var list = new List<int>(ids.Length * 2);
        void Add(int feature)
        {
            if (seen.Add(feature)) list.Add(feature);
        }
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] <= 0 || ids[i] >= Config.VocabSize) continue;
            Add(ids[i]);
            if (Config.BigramBuckets > 0 && i + 1 < ids.Length && ids[i + 1] > 0 && ids[i + 1] < Config.VocabSize)
                Add(Config.VocabSize + (int)(Mix((uint)ids[i], (uint)ids[i + 1]) % (uint)Config.BigramBuckets));
        }
        if (list.Count == 0) list.Add(SpecialTokens.Unk);
        return [.. list];
    }

    // murmur3's finaliser over the pair, so nearby ids spread over all buckets
    internal static uint Mix(uint a, uint b)
    {
        uint h = a * 0xCC9E2D51u ^ (b + 0x9E3779B9u + (a << 6) + (a >> 2));
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }
}
