// Locating the repository's test fixtures and the optional real datasets in ../shared/data.
namespace Attend.Text.Tests;

internal static class TestFiles
{
    /// <summary>The repository's tests/golden folder, found from the test binary upward.</summary>
    public static string Golden(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/golden/" + name + " not found above " + AppContext.BaseDirectory);
    }

    /// <summary>../shared/data/<paramref name="relative"/> beside the checkout, or null when it is absent.</summary>
    public static string? SharedData(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "attend-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when a file under ../shared/data is absent.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => TestFiles.SharedData(p) is null).ToArray();
        if (missing.Length > 0) Skip = $"needs ../shared/data/{string.Join(", ", missing)}, which is absent on this machine";
    }
}
