// One place that trains a tokenizer by its type name ("bpe", "bytebpe", "word", "char"), shared by
// `attend tokenizer train` and the training runs' configs.
namespace Attend.Text.Tokenization;

/// <summary>Trains tokenizers by type name.</summary>
public static class Tokenizers
{
    /// <summary>The type names, as tokenizer.json and the CLI spell them.</summary>
    public static readonly string[] Types = ["bpe", "bytebpe", "word", "char"];

    /// <summary>The smallest vocabulary a tokenizer of <paramref name="type"/> can have (specials, plus 256 bytes for bytebpe).</summary>
    public static int MinimumVocabulary(string type) => SpecialTokens.Names.Length + (type == "bytebpe" ? 256 : 1);

    /// <summary>Trains a tokenizer of <paramref name="type"/> with at most <paramref name="vocabSize"/> tokens on <paramref name="texts"/>.</summary>
    public static ITokenizer Train(string type, IReadOnlyList<string> texts, int vocabSize, Standardize standardize = Standardize.LowerAndStripPunctuation) => type switch
    {
        "bpe" => BpeTokenizer.Train(texts, vocabSize),
        "bytebpe" => ByteBpeTokenizer.Train(texts, vocabSize),
        "word" => WordTokenizer.Train(texts, vocabSize, standardize),
        "char" => CharTokenizer.Train(texts, vocabSize),
        _ => throw new ArgumentException($"unknown tokenizer type \"{type}\" (expected {string.Join(", ", Types)})"),
    };
}
