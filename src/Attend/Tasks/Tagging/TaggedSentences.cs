// The tagged sentences of a tagging run, read from CoNLL-U: word forms with the chosen tag column (UPOS or XPOS). The
// tag set is the training file's (UPOS: the 17 universal tags in their standard order); a validation or test tag
// never seen in training names its file and sentence. Sentences without any tag ("_") are skipped.
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Tasks.Tagging;

/// <summary>One sentence: its forms and tag ids.</summary>
public sealed record TaggedSentence(string[] Forms, int[] Tags);

/// <summary>Training, validation and (optional) test sentences with the tag names.</summary>
public sealed record TaggedSentences(string[] Tags, IReadOnlyList<TaggedSentence> Train, IReadOnlyList<TaggedSentence> Valid, IReadOnlyList<TaggedSentence>? Test)
{
    /// <summary>Reads the files of <paramref name="config"/>; the hold-out depends on <paramref name="seed"/> only.</summary>
    public static TaggedSentences Load(TaggingDataConfig config, int seed)
    {
        bool upos = config.Column == "upos";
        var train = Read(config.Train!, upos);
        if (train.Count == 0) throw new DataFormatException(config.Train!, 0, $"no sentence with {config.Column.ToUpperInvariant()} tags");
        var seen = train.SelectMany(s => s.Words.Select(w => upos ? w.Upos : w.Xpos)).ToHashSet();
        var tags = upos ? ConlluReader.UposTags.Where(seen.Contains).ToArray() : seen.Order(StringComparer.Ordinal).ToArray();
        var all = train.Select(s => Encode(s, tags, upos, config.Train!)).ToList();
        List<TaggedSentence> fit, valid;
        if (config.Valid is { } v)
        {
            (fit, valid) = (all, Read(v, upos).Select(s => Encode(s, tags, upos, v)).ToList());
        }
        else
        {
            var order = Enumerable.Range(0, all.Count).ToArray();
            new Rng(Rng.Derive((ulong)seed, -11)).Shuffle(order.AsSpan());
            var held = order[..Math.Clamp((int)Math.Round(all.Count * config.ValidFraction), 1, all.Count - 1)].ToHashSet();
            (fit, valid) = (all.Where((_, i) => !held.Contains(i)).ToList(), all.Where((_, i) => held.Contains(i)).ToList());
        }
        var test = config.Test is { } t ? Read(t, upos).Select(s => Encode(s, tags, upos, t)).ToList() : null;
        return new TaggedSentences(tags, fit, valid, test);
    }

    /// <summary>
    /// The sentences of a CoNLL-U file scored against a model's <paramref name="tags"/> (from <paramref name="column"/>);
    /// a gold tag the model does not know gets id −1, which scoring counts as wrong.
    /// </summary>
    public static List<TaggedSentence> ReadForScoring(string path, string column, string[] tags)
    {
        bool upos = column == "upos";
        var sentences = Read(path, upos);
        if (sentences.Count == 0) throw new DataFormatException(path, 0, $"no sentence with {column.ToUpperInvariant()} tags to score against");
        return sentences.Select(s => new TaggedSentence(s.Words.Select(w => w.Form).ToArray(),
            s.Words.Select((w, i) => Array.IndexOf(tags, Tag(s, i, upos, path))).ToArray())).ToList();
    }

    // word i's tag; "_" inside a tagged sentence is an error of the file, not a tag
    private static string Tag(ConlluSentence s, int i, bool upos, string path)
    {
        string tag = upos ? s.Words[i].Upos : s.Words[i].Xpos;
        if (tag == "_")
            throw new DataFormatException(path, s.Line, $"sentence {s.Id ?? "?"}, word {i + 1} '{s.Words[i].Form}': no {(upos ? "UPOS" : "XPOS")} tag (\"_\") while other words of the sentence have one; tag every word of a sentence or none");
        return tag;
    }

    private static List<ConlluSentence> Read(string path, bool upos) =>
        ConlluReader.Read(path).Where(s => s.Words.Any(w => (upos ? w.Upos : w.Xpos) != "_")).ToList();

    private static TaggedSentence Encode(ConlluSentence s, string[] tags, bool upos, string path)
    {
        var ids = s.Words.Select((_, i) =>
        {
            string tag = Tag(s, i, upos, path);
            int id = Array.IndexOf(tags, tag);
            if (id < 0) throw new DataFormatException(path, s.Line, $"sentence {s.Id ?? "?"}: tag \"{tag}\" does not occur in the training file");
            return id;
        }).ToArray();
        return new TaggedSentence(s.Words.Select(w => w.Form).ToArray(), ids);
    }
}
