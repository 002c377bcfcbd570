// Numeric time series from CSV with a header and a date column (the ETT format: date,HUFL,HULL,...,OT). Every
// non-date cell must parse as a number; otherwise the error names the file, line and column.
using System.Globalization;

using Attend.Text.Corpora;

namespace Attend.Data;

/// <summary>A multivariate series: timestamps and a (rows, columns) matrix of values.</summary>
public sealed record CsvSeriesData(string[] Columns, DateTime[] Dates, float[] Values)
{
    /// <summary>Number of rows (time steps).</summary>
    public int Rows => Dates.Length;

    /// <summary>Value at <paramref name="row"/> of column <paramref name="column"/>.</summary>
    public float this[int row, int column] => Values[row * Columns.Length + column];

    /// <summary>The index of a column by name.</summary>
    public int ColumnIndex(string name)
    {
        int i = Array.IndexOf(Columns, name);
        return i >= 0 ? i : throw new ArgumentException($"no column '{name}'; the columns are {string.Join(", ", Columns)}");
    }
}

/// <summary>Reads CSV series.</summary>
public static class CsvSeries
{
    /// <summary>
    /// Reads <paramref name="path"/>: a header row, a date column (<paramref name="dateColumn"/>) and numeric columns
    /// (all others, or only <paramref name="columns"/> when given, in that order).
    /// </summary>
    public static CsvSeriesData Read(string path, string dateColumn = "date", IReadOnlyList<string>? columns = null)
    {
        long lineNo = 0;
        string[]? header = null;
        int dateIndex = -1;
        int[] picks = [];
        var dates = new List<DateTime>();
        var values = new List<float>();
        foreach (var line in TextLines.Read(path))
        {
            lineNo++;
            if (header is null)
            {
                header = line.Split(',').Select(h => h.Trim()).ToArray();
                if (header.FirstOrDefault(h => h.Length == 0) is not null) throw new DataFormatException(path, 1, $"column {Array.IndexOf(header, "") + 1} of the header has no name");
                if (header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1) is { } twice)
                    throw new DataFormatException(path, 1, $"the header names column '{twice.Key}' {twice.Count()} times; column names must be unique");
                dateIndex = Array.IndexOf(header, dateColumn);
                if (dateIndex < 0) throw new DataFormatException(path, 1, $"header has no '{dateColumn}' column; expected it among: {string.Join(", ", header)}");
                var wanted = columns ?? header.Where((_, i) => i != dateIndex).ToArray();
                if (wanted.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                    throw new DataFormatException(path, 1, $"column '{repeated.Key}' is asked for {repeated.Count()} times; each column can be used once");
                picks = wanted.Select(c =>
                {
                    int i = Array.IndexOf(header, c);
                    return i >= 0 && i != dateIndex ? i : throw new DataFormatException(path, 1, $"header has no numeric column '{c}'");
                }).ToArray();
                continue;
            }
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length) throw new DataFormatException(path, lineNo, $"found {cells.Length} cells; expected {header.Length} as in the header");
            if (!DateTime.TryParse(cells[dateIndex], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
                throw new DataFormatException(path, lineNo, $"column '{header[dateIndex]}': '{cells[dateIndex]}' is not a date");
            dates.Add(date);
            foreach (int i in picks)
            {
                if (!float.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new DataFormatException(path, lineNo, $"column '{header[i]}': '{cells[i]}' is not a finite number");
                values.Add(v);
            }
        }
        if (header is null) throw new DataFormatException(path, 0, "empty file; expected a header row");
        return new CsvSeriesData(picks.Select(i => header[i]).ToArray(), [.. dates], [.. values]);
    }
}
