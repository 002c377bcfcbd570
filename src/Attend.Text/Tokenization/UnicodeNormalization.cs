// NFD and NFC for the WordPiece pre-tokenizer, on every deployment. .NET normalises through ICU; with invariant
// globalization (no ICU: Alpine-based containers, apps built with InvariantGlobalization, ARM64 here under qemu)
// string.Normalize returns non-ASCII text unchanged and raises no error, so accents would silently survive
// do_lower_case and the ids would differ from Hugging Face's. There, the table embedded beside this file takes over:
// the full canonical decomposition of the 2,061 code points that have one (generated from ICU), Hangul syllables
// computed. Its NFC composes adjacent pairs (a starter and the next mark, repeatedly), which is exact for text whose
// combining marks are in canonical order, as text nearly always is; reordering marks by combining class is not done.
using System.Globalization;
using System.Text;

namespace Attend.Text.Tokenization;

internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>Whether string.Normalize works for non-ASCII text in this process (ICU is loaded).</summary>
    public static bool Native { get; } = "\u00e9".Normalize(NormalizationForm.FormD).Length == 2;

    private static readonly Lazy<(Dictionary<int, int[]> Decompositions, Dictionary<(int, int), int> Compositions)> Tables = new(Load);

    /// <summary>Canonical decomposition (NFD).</summary>
    public static string Nfd(string s) => Native && TryNative(s, NormalizationForm.FormD) is { } r ? r : Decompose(s);

    /// <summary>Canonical composition (NFC).</summary>
    public static string Nfc(string s) => Native && TryNative(s, NormalizationForm.FormC) is { } r ? r : Compose(Decompose(s));

    // string.Normalize refuses noncharacters such as U+FFFE ("invalid Unicode code points"), which Hugging Face's
    // tokenizer passes through; the tables take those strings instead (found by the FsCheck property test).
    private static string? TryNative(string s, NormalizationForm form)
    {
        try { return s.Normalize(form); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>The table-driven NFD (used without ICU; public to the tests so that both paths are compared).</summary>
    internal static string Decompose(string s)
    {
        if (IsAscii(s)) return s;
        var table = Tables.Value.Decompositions;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var rune in s.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp is >= SBase and < SBase + SCount)
            {
                int index = cp - SBase;
                sb.Append((char)(LBase + index / NCount)).Append((char)(VBase + index % NCount / TCount));
                if (index % TCount != 0) sb.Append((char)(TBase + index % TCount));
            }
            else if (table.TryGetValue(cp, out var parts)) foreach (int p in parts) sb.Append(char.ConvertFromUtf32(p));
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    /// <summary>The table-driven composition of decomposed text (adjacent pairs).</summary>
    internal static string Compose(string s)
    {
        if (IsAscii(s)) return s;
        var pairs = Tables.Value.Compositions;
        var output = new List<int>(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            int cp = rune.Value;
            if (output.Count > 0)
            {
                int last = output[^1];
                if (last is >= LBase and < LBase + LCount && cp is >= VBase and < VBase + VCount)
                {
                    output[^1] = SBase + ((last - LBase) * VCount + (cp - VBase)) * TCount;
                    continue;
                }
                if (last is >= SBase and < SBase + SCount && (last - SBase) % TCount == 0 && cp is > TBase and < TBase + TCount)
                {
                    output[^1] = last + (cp - TBase);
                    continue;
                }
                if (pairs.TryGetValue((last, cp), out int composite))
                {
                    output[^1] = composite;
                    continue;
                }
            }
            output.Add(cp);
        }
        var sb = new StringBuilder(output.Count);
        foreach (int cp in output) sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }

    private static bool IsAscii(string s)
    {
        foreach (char c in s) if (c > 0x7F) return false;
        return true;
    }

    private static (Dictionary<int, int[]>, Dictionary<(int, int), int>) Load()
    {
        using var stream = typeof(UnicodeNormalization).Assembly.GetManifestResourceStream("Attend.Text.canonical-decompositions.txt")
            ?? throw new InvalidOperationException("the canonical decomposition table is missing from Attend.Text");
        using var reader = new StreamReader(stream);
        var decompositions = new Dictionary<int, int[]>();
        var compositions = new Dictionary<(int, int), int>();
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(';');
            int cp = Hex(fields[0]);
            decompositions[cp] = [.. fields[1].Split(' ').Select(Hex)];
            if (fields[2].Length > 0)
            {
                var pair = fields[2].Split(' ');
                compositions[(Hex(pair[0]), Hex(pair[1]))] = cp;
            }
        }
        return (decompositions, compositions);
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
