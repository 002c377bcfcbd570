// A language-modelling corpus as one text, cut by characters into a training head and a validation tail, as
// nanoGPT's data/shakespeare_char/prepare.py does (train = data[:int(n * 0.9)], val = the rest).
using System.Text;

namespace Attend.Text.Corpora;

/// <summary>Reads and splits a text file for language modelling.</summary>
public static class TextSplit
{
    /// <summary>The file's text (UTF-8, invalid bytes rejected) split into its first ⌊n·(1 − f)⌋ characters and the rest.</summary>
    public static (string Train, string Valid) Read(string path, double validFraction)
    {
        if (!File.Exists(path)) throw MissingFile.Error(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw new DataFormatException(path, 0, "not valid UTF-8 text");
        }
        return Split(text, validFraction, path);
    }

    /// <summary>Splits <paramref name="text"/>; both parts must hold at least two characters (one transition to learn or score).</summary>
    public static (string Train, string Valid) Split(string text, double validFraction, string name = "text")
    {
        if (validFraction is <= 0 or >= 1) throw new ArgumentException($"the validation fraction must be in (0, 1), got {validFraction}");
        int cut = (int)(text.Length * (1 - validFraction));
        if (cut > 0 && cut < text.Length && char.IsLowSurrogate(text[cut])) cut--; // never split a surrogate pair
        if (cut < 2 || text.Length - cut < 2)
            throw new DataFormatException(name, 0, $"{text.Length} characters are too few to split into training and validation parts of at least 2 characters each (validation fraction {validFraction})");
        return (text[..cut], text[cut..]);
    }
}
