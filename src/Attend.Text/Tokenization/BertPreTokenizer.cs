// Hugging Face's BasicTokenizer (models/bert/tokenization_bert.py), the step before WordPiece, rule for rule:
//   1. drop U+0000, U+FFFD and control characters (Cc, Cf; tab, newline and carriage return are whitespace); every
//      whitespace character (space, \t, \n, \r, Zs) becomes a space;
//   2. put spaces around CJK ideographs;
//   3. NFC-compose, split on whitespace;
//   4. per word: lower-case as Python's str.lower does one character at a time (İ → i̇) and strip accents (NFD, drop Mn) when
//      do_lower_case (strip_accents null follows do_lower_case; true or false overrides it);
//   5. split off every punctuation character (ASCII symbol ranges and Unicode P*) as a word of its own.
// Characters are code points (Runes), as Python iterates them, never UTF-16 halves. NFC and NFD work without ICU
// too (UnicodeNormalization).
using System.Globalization;
using System.Text;

namespace Attend.Text.Tokenization;

/// <summary>Splits text into the words WordPiece sees, exactly as Hugging Face's BasicTokenizer.</summary>
public sealed class BertPreTokenizer(bool lowerCase, bool? stripAccents = null, bool splitCjk = true)
{
    /// <summary>Whether words are lower-cased (do_lower_case).</summary>
    public bool LowerCase { get; } = lowerCase;

    /// <summary>Whether accents are stripped: strip_accents, or do_lower_case when that is null.</summary>
    public bool StripAccents { get; } = stripAccents ?? lowerCase;

    /// <summary>Whether CJK ideographs become words of their own (tokenize_chinese_chars).</summary>
    public bool SplitCjk { get; } = splitCjk;

    /// <summary>The words of <paramref name="text"/>, in order.</summary>
    public List<string> Split(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) cleaned.Append(' ');
            else if (SplitCjk && IsCjk(cp)) cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            else cleaned.Append(rune.ToString());
        }
        var words = new List<string>();
        foreach (var word in UnicodeNormalization.Nfc(cleaned.ToString()).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string w = LowerCase ? PythonLower(word) : word;
            if (StripAccents) w = RemoveAccents(w);
            SplitPunctuation(w, words);
        }
        return words;
    }

    /// <summary>
    /// Python's str.lower applied one code point at a time, as BertTokenizer does (its lower-casing pass matches one
    /// character per step, so sigma never takes its final form): simple lower-case mappings, and İ → "i̇".
    /// </summary>
    public static string PythonLower(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130) sb.Append("i\u0307");
            else sb.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return sb.ToString();
    }

    private static string RemoveAccents(string word)
    {
        var sb = new StringBuilder(word.Length);
        foreach (var rune in UnicodeNormalization.Nfd(word).EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) sb.Append(rune.ToString());
        return sb.ToString();
    }

    private static void SplitPunctuation(string word, List<string> words)
    {
        var current = new StringBuilder();
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                if (current.Length > 0) words.Add(current.ToString());
                current.Clear();
                words.Add(rune.ToString());
            }
            else current.Append(rune.ToString());
        }
        if (current.Length > 0) words.Add(current.ToString());
    }

    /// <summary>Space, tab, newline, carriage return and the space separators (Zs).</summary>
    public static bool IsWhitespace(Rune r) => r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    /// <summary>Control (Cc) and format (Cf) characters, except tab, newline and carriage return.</summary>
    public static bool IsControl(Rune r) => r.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format;

    /// <summary>ASCII symbols (33–47, 58–64, 91–96, 123–126) and every Unicode punctuation category (P*).</summary>
    public static bool IsPunctuation(Rune r)
    {
        int cp = r.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks BERT splits (not Hangul, Hiragana or Katakana).</summary>
    public static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
