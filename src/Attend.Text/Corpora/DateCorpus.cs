// The built-in translation task of `attend demo`: dates written in many human formats → ISO 8601. For example
//   "saturday, march 14, 1998"  → "1998-03-14"
//   "14th of mar 98"            → "1998-03-14"
//   "3/14/1998" (US)            → "1998-03-14"
//   "14.03.1998" (European)     → "1998-03-14"
// Formats reorder day, month and year, spell months out or abbreviate them, add ordinals and correct weekdays, and use
// two-digit years (1950–2049 window), so the model must learn where to look — a task that needs attention — while
// staying small enough to learn in a couple of minutes on a CPU. Generated from a seed; nothing is downloaded.

namespace Attend.Text.Corpora;

/// <summary>Generates (human date, ISO date) pairs.</summary>
public static class DateCorpus
{
    private static readonly string[] Months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    private static readonly DateOnly First = new(1950, 1, 1), Last = new(2049, 12, 31);

    /// <summary>Number of distinct source formats.</summary>
    public const int FormatCount = 14;

    /// <summary><paramref name="count"/> pairs drawn with <paramref name="seed"/>: dates uniform over 1950–2049, formats uniform.</summary>
    public static List<(string Source, string Target)> Generate(int count, ulong seed)
    {
        var rng = new Rng(seed);
        int span = Last.DayNumber - First.DayNumber + 1;
        var pairs = new List<(string, string)>(count);
        for (int i = 0; i < count; i++)
        {
            var date = DateOnly.FromDayNumber(First.DayNumber + rng.NextInt(span));
            pairs.Add((Format(date, rng.NextInt(FormatCount)), Iso(date)));
        }
        return pairs;
    }

    /// <summary>The target form, yyyy-mm-dd.</summary>
    public static string Iso(DateOnly d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    /// <summary><paramref name="d"/> written in format <paramref name="format"/> (0 ≤ format &lt; <see cref="FormatCount"/>).</summary>
    public static string Format(DateOnly d, int format)
    {
        string month = Months[d.Month - 1], mon = month[..3], weekday = Weekdays[(int)d.DayOfWeek];
        string yy = $"{d.Year % 100:D2}";
        return format switch
        {
            0 => $"{d.Day} {month} {d.Year}",
            1 => $"{month} {d.Day}, {d.Year}",
            2 => $"{weekday}, {month} {d.Day}, {d.Year}",
            3 => $"{d.Day:D2}.{d.Month:D2}.{d.Year}",
            4 => $"{d.Month}/{d.Day}/{d.Year}",
            5 => $"{d.Day} {mon} {yy}",
            6 => $"{Ordinal(d.Day)} of {month} {d.Year}",
            7 => $"{weekday} {Ordinal(d.Day)} {mon} {d.Year}",
            8 => $"{mon} {d.Day} {yy}",
            9 => $"{d.Year} {month} {d.Day}",
            10 => $"{d.Day:D2}/{d.Month:D2}/{yy}",
            11 => $"{month} {Ordinal(d.Day)}, {d.Year}",
            12 => $"the {Ordinal(d.Day)} of {mon} {yy}",
            13 => $"{weekday[..3]} {d.Day} {mon} {d.Year}",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"formats are 0..{FormatCount - 1}"),
        };
    }

    /// <summary>1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st.</summary>
    public static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
