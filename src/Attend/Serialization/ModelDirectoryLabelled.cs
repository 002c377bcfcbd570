// Model directories of the labelling models (docs/model-format.md):
//   "text-classifier": config = TextClassifierConfig (labels, encoder + pooling or bow); "text" = how texts are cut
//                      before encoding (max_tokens, truncate, strip_html); tokenizer.json = the word tokenizer
//   "tagger":          config = TaggerConfig (labels, encoder); tokenizer.json = the word tokenizer; chars.json = the
//                      character vocabulary when the encoder uses character features
using System.Text.Json;
using System.Text.Json.Nodes;
using Attend.Models;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Serialization;

/// <summary>A loaded classifier, its tokenizer and its text settings (the "text" object).</summary>
public sealed record LoadedClassifier(TextClassifier Model, ITokenizer Tokenizer, JsonObject Text);

/// <summary>A loaded tagger with its word tokenizer and, when it uses them, its characters.</summary>
public sealed record LoadedTagger(Tagger Model, ITokenizer Tokenizer, ITokenizer? Characters);

public static partial class ModelDirectory
{
    public const string ClassifierArchitecture = "text-classifier";
    public const string TaggerArchitecture = "tagger";
    public const string CharactersFile = "chars.json";

    /// <summary>Writes a classifier's directory; <paramref name="text"/> is stored under the key "text".</summary>
    public static void Save(string dir, TextClassifier model, ITokenizer tokenizer, JsonObject text) =>
        Save(dir, model, ClassifierArchitecture, JsonSerializer.SerializeToNode(model.Config, ConfigJson), tokenizer, ("text", text));

    /// <summary>Loads a classifier directory (it must hold tokenizer.json).</summary>
    public static LoadedClassifier LoadClassifier(string dir)
    {
        var config = ParseConfig<TextClassifierConfig>(ReadHeader(dir, ClassifierArchitecture), ConfigPath(dir), c => c.Problem());
        var text = ReadJsonObject(ConfigPath(dir))["text"] as JsonObject ?? throw new DataFormatException(ConfigPath(dir), 0, "field 'text': expected an object (max_tokens, truncate)");
        var model = Build(dir, () => new TextClassifier(config, new Rng(0)));
        var tokenizer = LoadTokenizer(dir, config.Encoder?.VocabSize ?? config.Bow!.VocabSize) ?? throw new DataFormatException(Path.Combine(dir, "tokenizer.json"), 0, "file not found: a classifier needs its tokenizer");
        return new LoadedClassifier(model, tokenizer, text);
    }

    /// <summary>Writes a tagger's directory, with its character vocabulary when it uses one.</summary>
    public static void Save(string dir, Tagger model, ITokenizer tokenizer, ITokenizer? characters)
    {
        Save(dir, model, TaggerArchitecture, JsonSerializer.SerializeToNode(model.Config, ConfigJson), tokenizer);
        if (characters is not null) TokenizerFile.Save(characters, Path.Combine(dir, CharactersFile));
    }

    /// <summary>Loads a tagger directory.</summary>
    public static LoadedTagger LoadTagger(string dir)
    {
        var config = ParseConfig<TaggerConfig>(ReadHeader(dir, TaggerArchitecture), ConfigPath(dir), c => c.Problem());
        var model = Build(dir, () => new Tagger(config, new Rng(0)));
        var tokenizer = LoadTokenizer(dir, config.Encoder.VocabSize) ?? throw new DataFormatException(Path.Combine(dir, "tokenizer.json"), 0, "file not found: a tagger needs its tokenizer");
        string charsPath = Path.Combine(dir, CharactersFile);
        ITokenizer? characters = null;
        if (config.Encoder.UsesCharacters)
        {
            if (!File.Exists(charsPath)) throw new DataFormatException(charsPath, 0, "file not found: this tagger uses character features");
            characters = TokenizerFile.Load(charsPath);
            if (characters.Vocabulary.Count != config.Encoder.CharVocabSize)
                throw new DataFormatException(charsPath, 0, $"{characters.Vocabulary.Count} characters, but the model has char_vocab_size {config.Encoder.CharVocabSize}");
        }
        return new LoadedTagger(model, tokenizer, characters);
    }

    // a tokenizer of another size would give ids outside the embedding, or leave rows unused
    private static void CheckVocabulary(string dir, ITokenizer tokenizer, int vocabSize)
    {
        if (tokenizer.Vocabulary.Count != vocabSize)
            throw new DataFormatException(Path.Combine(dir, "tokenizer.json"), 0, $"{tokenizer.Vocabulary.Count} tokens, but the model has vocab_size {vocabSize}");
    }
}
