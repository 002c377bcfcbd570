// Text standardisation shared by the tokenizers: Unicode NFC, whitespace collapsed to single spaces and trimmed,
// optional lowercasing (invariant culture) — in the spirit of Keras TextVectorization's `standardize`.
using System.Text;

namespace Attend.Text;

/// <summary>What <see cref="TextNormalizer.Normalize"/> does besides NFC.</summary>
public sealed record NormalizationOptions(bool Lowercase = false, bool CollapseWhitespace = true);

/// <summary>Deterministic text standardisation.</summary>
public static class TextNormalizer
{
    /// <summary>
    /// NFC-normalises <paramref name="text"/>; collapses every run of Unicode whitespace to one space and trims the
    /// ends when asked; lowercases with the invariant culture when asked. Example: " Ca\u0301fe\tNoir " → "Café Noir".
    /// </summary>
    public static string Normalize(string text, NormalizationOptions? options = null)
    {
        options ??= new NormalizationOptions();
        string s = options.Lowercase ? text.ToLowerInvariant() : text;
        s = s.Normalize(NormalizationForm.FormC); // after lowercasing, which can leave decomposed sequences
        if (!options.CollapseWhitespace) return s;
        var sb = new StringBuilder(s.Length);
        bool pendingSpace = false;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
