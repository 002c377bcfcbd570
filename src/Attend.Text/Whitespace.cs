// Splitting on runs of Unicode whitespace, like Python's str.split() with no argument: used by the 13a tokenizer
// (so BLEU tokenises as sacreBLEU does) and by the word and BPE tokenizers' pre-tokenisation.
namespace Attend.Text;

/// <summary>Whitespace splitting.</summary>
public static class Whitespace
{
    /// <summary>The non-empty pieces of <paramref name="s"/> between runs of whitespace.</summary>
    public static string[] Split(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !char.IsWhiteSpace(s[i])) i++;
            if (i > start) parts.Add(s[start..i]);
        }
        return [.. parts];
    }
}
