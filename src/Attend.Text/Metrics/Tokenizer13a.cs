// sacreBLEU's default "13a" tokenizer (mteval-v13a.pl): unescape a few XML entities, split off ASCII punctuation and
// symbols, split '.' and ',' unless they sit between digits, split '-' after a digit, then collapse whitespace.
// Non-ASCII characters are never split off. Reproduces sacrebleu.tokenizers.tokenizer_13a exactly.
using System.Text.RegularExpressions;

namespace Attend.Text.Metrics;

/// <summary>The 13a tokenizer used by BLEU.</summary>
public static partial class Tokenizer13a
{
    // every ASCII punctuation/symbol except ' , - .   ({-~  [-`  space-&  (-+  :-@  /)
    [GeneratedRegex(@"([\{-\~\[-\x60 -&\(-\+:-@/])", RegexOptions.CultureInvariant)]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();

    /// <summary>The tokens of <paramref name="line"/>.</summary>
    public static string[] Tokenize(string line)
    {
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ");
        if (line.Contains('&'))
            line = line.Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        line = " " + line + " ";
        line = Symbols().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return Whitespace.Split(line);
    }
}
