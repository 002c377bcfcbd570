// How a text becomes the word ids a classifier reads, identically in training and in `attend classify`: optional
// removal of HTML line breaks (IMDB reviews keep "<br />"), tokenisation, then truncation to max_tokens keeping the
// head, the tail, or both (Sun et al. 2019 found head + tail best for long reviews: the verdict is often at the end).
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Attend.Text.Tokenization;

namespace Attend.Text;

/// <summary>Text cleaning and truncation settings (stored in the model directory under "text").</summary>
public sealed partial record TextCut
{
    /// <summary>Most word ids kept (0 = all).</summary>
    [JsonPropertyName("max_tokens")] public int MaxTokens { get; init; } = 400;
    /// <summary>"head" (the first max_tokens), "tail" (the last) or "head_tail" (a quarter from the start, the rest from the end).</summary>
    [JsonPropertyName("truncate")] public string Truncate { get; init; } = "head_tail";
    /// <summary>Replace HTML line breaks (&lt;br /&gt;) with spaces before tokenising.</summary>
    [JsonPropertyName("strip_html")] public bool StripHtml { get; init; } = true;

    public string? Problem() =>
        MaxTokens < 0 ? $"max_tokens: expected 0 (all) or more, got {MaxTokens}"
        : Truncate is not ("head" or "tail" or "head_tail") ? $"truncate: expected head, tail or head_tail, got \"{Truncate}\""
        : null;

    /// <summary>The word ids of <paramref name="text"/>, cut to <see cref="MaxTokens"/>; never empty (an empty text is &lt;unk&gt;).</summary>
    public int[] Encode(ITokenizer tokenizer, string text)
    {
        var ids = tokenizer.Encode(Clean(text));
        if (ids.Length == 0) return [SpecialTokens.Unk];
        return Cut(ids);
    }

    /// <summary>The text with HTML line breaks replaced by spaces when <see cref="StripHtml"/> is set.</summary>
    public string Clean(string text) => StripHtml ? HtmlBreak().Replace(text, " ") : text;

    /// <summary>Truncates <paramref name="ids"/> as configured.</summary>
    public int[] Cut(int[] ids)
    {
        if (MaxTokens == 0 || ids.Length <= MaxTokens) return ids;
        return Truncate switch
        {
            "head" => ids[..MaxTokens],
            "tail" => ids[^MaxTokens..],
            _ => [.. ids[..(MaxTokens / 4)], .. ids[^(MaxTokens - MaxTokens / 4)..]],
        };
    }

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlBreak();
}
