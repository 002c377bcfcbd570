// Sliding windows over a series with the semantics of keras.utils.timeseries_dataset_from_array: the rows
// [start_index, end_index) are cut into windows of sequence_length rows taken every sampling_rate rows; a window
// starts every sequence_stride rows; the target of a window is targets[start_index + s], where s is the window's start
// relative to start_index (pass targets shifted by an offset — Keras' data[offset:] idiom — through targetOffset).
//
// Worked example: 10 rows, sequence_length 3, sampling_rate 2, sequence_stride 3 → windows start at rows 0 and 3
// (a window spans (3 − 1)·2 + 1 = 5 rows, so 10 − 4 = 6 starts are possible: 0..5, every 3rd), and window 1 takes
// rows 3, 5, 7.
namespace Attend.Data;

/// <summary>The start rows of a series' windows and the rows each window takes.</summary>
public sealed class TimeSeriesWindows
{
    private TimeSeriesWindows(int[] starts, int sequenceLength, int samplingRate, int targetOffset)
    {
        Starts = starts;
        SequenceLength = sequenceLength;
        SamplingRate = samplingRate;
        TargetOffset = targetOffset;
    }

    /// <summary>Absolute start row of each window, ascending.</summary>
    public int[] Starts { get; }

    /// <summary>Rows per window.</summary>
    public int SequenceLength { get; }

    /// <summary>Step between a window's rows.</summary>
    public int SamplingRate { get; }

    /// <summary>How far the target row lies after the window's first row.</summary>
    public int TargetOffset { get; }

    /// <summary>Number of windows.</summary>
    public int Count => Starts.Length;

    /// <summary>
    /// Windows over rows [<paramref name="startIndex"/>, <paramref name="endIndex"/>) of a series of
    /// <paramref name="rows"/> rows. With <paramref name="targetOffset"/> ≥ 0 every window also needs the target row
    /// start + targetOffset to lie before <paramref name="endIndex"/> (Keras: targets = data[offset:] caps the count).
    /// </summary>
    public static TimeSeriesWindows Create(int rows, int sequenceLength, int sequenceStride = 1, int samplingRate = 1,
        int startIndex = 0, int? endIndex = null, int? targetOffset = null)
    {
        int end = endIndex ?? rows;
        if (sequenceLength < 1) throw new ArgumentException($"sequence_length must be positive, got {sequenceLength}");
        if (sequenceStride < 1) throw new ArgumentException($"sequence_stride must be positive, got {sequenceStride}");
        if (samplingRate < 1) throw new ArgumentException($"sampling_rate must be positive, got {samplingRate}");
        if (startIndex < 0 || startIndex > rows) throw new ArgumentException($"start_index must be in [0, {rows}], got {startIndex}");
        if (end < startIndex || end > rows) throw new ArgumentException($"end_index must be in [{startIndex}, {rows}], got {end}");
        if (targetOffset is < 0) throw new ArgumentException($"the target offset must not be negative, got {targetOffset}");
        int count = end - startIndex - (sequenceLength - 1) * samplingRate;    // Keras num_seqs
        if (targetOffset is { } offset) count = Math.Min(count, end - startIndex - offset); // len(targets[start:end])
        count = Math.Max(0, count);
        var starts = new int[(count + sequenceStride - 1) / sequenceStride];
        for (int i = 0; i < starts.Length; i++) starts[i] = startIndex + i * sequenceStride;
        return new TimeSeriesWindows(starts, sequenceLength, samplingRate, targetOffset ?? 0);
    }

    /// <summary>The rows window <paramref name="i"/> takes: start, start + rate, …, start + (length − 1)·rate.</summary>
    public int[] Rows(int i)
    {
        var rows = new int[SequenceLength];
        for (int j = 0; j < rows.Length; j++) rows[j] = Starts[i] + j * SamplingRate;
        return rows;
    }

    /// <summary>The row of window <paramref name="i"/>'s target.</summary>
    public int TargetRow(int i) => Starts[i] + TargetOffset;
}
