// The per-core L2 size, which sets how much of B the GEMM keeps hot (GemmDriver.NB). Read once from Linux's sysfs
// (/sys/devices/system/cpu/cpu0/cache/index*/{level,size}); where that is absent (macOS, Windows, containers that
// hide it) 512 KiB is assumed, the smallest L2 of the x64 and ARM64 server cores we target (Zen 1–3, Graviton 2).
namespace Attend.Kernels;

/// <summary>Cache sizes of this machine, for blocking.</summary>
public static class CacheSizes
{
    private const long FallbackL2 = 512 * 1024;

    /// <summary>Bytes of level-2 cache per core (fallback 512 KiB when the OS does not say).</summary>
    public static long L2Bytes { get; } = ReadL2() ?? FallbackL2;

    /// <summary>Whether <see cref="L2Bytes"/> was read from the OS rather than assumed.</summary>
    public static bool L2Known { get; } = ReadL2() is not null;

    private static long? ReadL2()
    {
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(root)) return null;
            foreach (string dir in Directory.EnumerateDirectories(root, "index*"))
            {
                string levelFile = Path.Combine(dir, "level"), sizeFile = Path.Combine(dir, "size");
                if (!File.Exists(levelFile) || !File.Exists(sizeFile) || File.ReadAllText(levelFile).Trim() != "2") continue;
                return ParseSize(File.ReadAllText(sizeFile));
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>"1024K" → 1048576, "2M" → 2097152, "512" → 512; null when unreadable.</summary>
    internal static long? ParseSize(string text)
    {
        string s = text.Trim();
        if (s.Length == 0) return null;
        long unit = char.ToUpperInvariant(s[^1]) switch { 'K' => 1024, 'M' => 1024 * 1024, 'G' => 1024L * 1024 * 1024, _ => 1 };
        if (unit != 1) s = s[..^1];
        return long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) && v > 0 ? v * unit : null;
    }
}
