// The "tokenizer" section of a run config (translation, language model, classification) and how a run gets its
// tokenizer from it: the one saved in the run directory when resuming (so a resumed run sees the same ids), else the
// file named by path, else one trained on the run's training text. The result is saved as DIR/tokenizer.json.
namespace Attend.Text.Tokenization;

/// <summary>A run's tokenizer: trained on its training data, or loaded from <see cref="Path"/>.</summary>
public sealed record TokenizerConfig
{
    /// <summary>"bpe", "bytebpe", "word" or "char".</summary>
    public string Type { get; init; } = "bpe";

    public int VocabSize { get; init; } = 8000;

    /// <summary>An existing tokenizer.json to use instead of training one.</summary>
    public string? Path { get; init; }

    /// <summary>The first problem found, naming its key, or null.</summary>
    public string? Problem() =>
        !Tokenizers.Types.Contains(Type) ? $"tokenizer.type: expected one of {string.Join(", ", Tokenizers.Types)}, got \"{Type}\""
        : VocabSize < Tokenizers.MinimumVocabulary(Type) ? $"tokenizer.vocab_size: a {Type} tokenizer needs at least {Tokenizers.MinimumVocabulary(Type)}, got {VocabSize}"
        : null;

    /// <summary>
    /// The run's tokenizer (see the file's header); <paramref name="train"/> trains one of <see cref="Type"/> and
    /// <see cref="VocabSize"/> when neither the run directory nor <see cref="Path"/> gives one.
    /// </summary>
    public ITokenizer Resolve(string runDir, bool resume, Func<ITokenizer> train)
    {
        string saved = System.IO.Path.Combine(runDir, "tokenizer.json");
        var tokenizer = resume && File.Exists(saved) ? TokenizerFile.Load(saved) : Path is { } given ? TokenizerFile.Load(given) : train();
        TokenizerFile.Save(tokenizer, saved);
        return tokenizer;
    }
}
