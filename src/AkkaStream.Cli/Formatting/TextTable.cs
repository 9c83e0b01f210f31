namespace AkkaStream.Cli.Formatting;

/// <summary>
/// Rows laid out in columns as Kafka's tools print them: a header of upper-case names, every column
/// as wide as its widest cell, two spaces between columns, no trailing spaces. Pure.
/// </summary>
public static class TextTable
{
    public static IEnumerable<string> Lines(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var c = 0; c < widths.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        foreach (var row in all)
        {
            var cells = new string[widths.Length];
            for (var c = 0; c < widths.Length; c++) cells[c] = c == widths.Length - 1 ? row[c] : row[c].PadRight(widths[c]);
            yield return string.Join("  ", cells).TrimEnd();
        }
    }
}
