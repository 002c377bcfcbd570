// The CSV series reader (ETT-style: a date column and numeric columns): values and dates, a bad cell named by line
// and column, damaged files that only ever raise format errors, and the real ETTh1 when ../shared/data has it.
using Attend.Data;
using Attend.Text.Corpora;
using Attend.Text.Tests;

namespace Attend.Tests.Data;

public sealed class CsvSeriesTests
{
    [Fact]
    public void CsvSeriesReadsNumbersAndNamesABadCell()
    {
        var ok = Write("s.csv", "date,a,OT\n2016-07-01 00:00:00,1.5,30\n2016-07-01 01:00:00,-2,31.25\n");
        var s = CsvSeries.Read(ok);
        Assert.Equal(["a", "OT"], s.Columns);
        Assert.Equal(2, s.Rows);
        Assert.Equal(31.25f, s[1, s.ColumnIndex("OT")]);
        Assert.Equal(new DateTime(2016, 7, 1, 1, 0, 0, DateTimeKind.Utc), s.Dates[1]);
        var bad = Write("b.csv", "date,a\n2016-07-01 00:00:00,1.5\n2016-07-01 01:00:00,abc\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvSeries.Read(bad));
        Assert.Contains(":3: column 'a': 'abc' is not a finite number", ex.Message);
    }

    [Fact]
    public void DamagedFilesOnlyEverRaiseFormatErrors()
    {
        var rng = new Random(2);
        const string csv = "date,a,b\n2016-07-01 00:00:00,1.5,2\n2016-07-01 01:00:00,3,4\n";
        for (int trial = 0; trial < 300; trial++)
        {
            var chars = csv.ToCharArray();
            for (int e = rng.Next(1, 4); e > 0; e--) chars[rng.Next(chars.Length)] = "\t\n,.-_x1 #"[rng.Next(10)];
            try
            {
                CsvSeries.Read(Write("d.csv", new string(chars, 0, rng.Next(chars.Length + 1))));
            }
            catch (DataFormatException)
            {
            }
        }
    }

    [SharedDataFact("ett-small/ETTh1.csv")]
    public void RealEtth1Has17420RowsOfSevenSeries()
    {
        var s = CsvSeries.Read(TestFiles.SharedData("ett-small/ETTh1.csv")!);
        Assert.Equal(17420, s.Rows);
        Assert.Equal(7, s.Columns.Length);
    }

    private static string Write(string name, string text)
    {
        string path = Path.Combine(TestFiles.TempDir(), name);
        File.WriteAllText(path, text);
        return path;
    }
}
