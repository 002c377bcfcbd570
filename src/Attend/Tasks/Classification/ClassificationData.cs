// The labelled texts of a classification run: the IMDB archive (train split → training and a seeded validation
// hold-out; test split → test, untouched until the end) or label<TAB>text files. Label ids are the training labels in
// ordinal order (IMDB: neg = 0, pos = 1); a validation or test label never seen in training names its file and line.
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Tasks.Classification;

/// <summary>A text and its label id.</summary>
public sealed record LabelledText(string Text, int Label);

/// <summary>Training, validation and (optional) test texts with the label names.</summary>
public sealed record ClassificationData(string[] Labels, IReadOnlyList<LabelledText> Train, IReadOnlyList<LabelledText> Valid, IReadOnlyList<LabelledText>? Test)
{
    /// <summary>Reads the data of <paramref name="config"/>; the validation hold-out depends on <paramref name="seed"/> only.</summary>
    public static ClassificationData Load(ClassificationDataConfig config, int seed)
    {
        if (config.Imdb is { } imdb)
        {
            var train = Imdb(imdb, "train");
            var test = Imdb(imdb, "test");
            var (fit, valid) = HoldOut(train, config.ValidFraction, seed);
            return new ClassificationData(["neg", "pos"], fit, valid, test);
        }
        var trainLines = LabelledTextReader.Read(config.Train!);
        var labels = trainLines.Select(l => l.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2) throw new DataFormatException(config.Train!, 0, $"found only the label \"{labels[0]}\"; a classifier needs at least two");
        var all = ToIds(trainLines, labels, config.Train!);
        var (trainPart, validPart) = config.Valid is { } v ? (all, ToIds(LabelledTextReader.Read(v), labels, v)) : HoldOut(all, config.ValidFraction, seed);
        var testPart = config.Test is { } t ? ToIds(LabelledTextReader.Read(t), labels, t) : null;
        return new ClassificationData(labels, trainPart, validPart, testPart);
    }

    /// <summary>One split ("train" or "test") of the aclImdb archive or folder; labels neg = 0, pos = 1.</summary>
    public static List<LabelledText> Imdb(string path, string split) =>
        ImdbReader.Read(path, split).Select(r => new LabelledText(r.Text, r.Label)).ToList();

    /// <summary>
    /// <paramref name="lines"/> with label ids in <paramref name="labels"/>; a label not there names the file and line,
    /// and <paramref name="labelsFrom"/> says where the labels came from ("the training file", "the model").
    /// </summary>
    public static List<LabelledText> ToIds(List<LabelledLine> lines, string[] labels, string path, string labelsFrom = "the training file") => lines.Select(l =>
    {
        int id = Array.IndexOf(labels, l.Label);
        if (id < 0) throw new DataFormatException(path, l.Line, $"label \"{l.Label}\" does not occur in {labelsFrom} (labels: {string.Join(", ", labels)})");
        return new LabelledText(l.Text, id);
    }).ToList();

    // a seeded shuffle, the first fraction held out; both parts keep the original order
    private static (List<LabelledText> Fit, List<LabelledText> Valid) HoldOut(List<LabelledText> all, double fraction, int seed)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Rng(Rng.Derive((ulong)seed, -7)).Shuffle(order.AsSpan());
        int n = Math.Clamp((int)Math.Round(all.Count * fraction), 1, all.Count - 1);
        var held = order[..n].ToHashSet();
        return (all.Where((_, i) => !held.Contains(i)).ToList(), all.Where((_, i) => held.Contains(i)).ToList());
    }
}
