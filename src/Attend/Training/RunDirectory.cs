// The run directory a `train` verb writes (--out): a new run needs a directory that holds no run yet, so a finished
// run is never overwritten by a command that forgot --resume, and --resume needs a checkpoint to continue from, so a
// mistyped directory does not silently start from scratch.
using Attend.Text.Corpora;

namespace Attend.Training;

/// <summary>Checks a run directory before a run starts writing to it.</summary>
public static class RunDirectory
{
    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming --out or --resume when <paramref name="dir"/> is a file, when a
    /// new run would overwrite an earlier one, or when <paramref name="resume"/> finds nothing to continue.
    /// <paramref name="folds"/>: the directory holds backtest folds (fold-1 …) rather than one run.
    /// </summary>
    public static void Check(string dir, bool resume, bool folds = false)
    {
        if (File.Exists(dir)) throw new DataFormatException("--out", 0, $"{dir} is a file; expected a run directory (new or earlier)");
        string? held = Held(dir);
        if (resume)
        {
            bool resumable = folds ? held is not null : File.Exists(Path.Combine(dir, TrainState.FileName));
            if (!resumable)
                throw new DataFormatException("--resume", 0, $"{dir} holds no checkpoint to continue ({(folds ? "no fold-1 …" : TrainState.FileName)} not found); run without --resume to start a new run there");
            return;
        }
        if (held is not null)
            throw new DataFormatException("--out", 0, $"{dir} already holds a run ({held}); pass --resume to continue it, or choose another --out (nothing was changed)");
    }

    // what in dir shows an earlier run, or null
    private static string? Held(string dir)
    {
        if (!Directory.Exists(dir)) return null;
        foreach (string name in new[] { TrainState.FileName, "results.json" })
            if (File.Exists(Path.Combine(dir, name))) return name;
        foreach (string name in new[] { "model", "snapshots", "fold-1" })
            if (Directory.Exists(Path.Combine(dir, name))) return name + "/";
        return null;
    }
}
