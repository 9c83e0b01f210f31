using System.Text;

namespace AkkaStream.Storage.Benchmarks;

/// <summary>A markdown table, padded so that it also reads well as plain text. Not thread-safe.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}");
        }
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(3, _rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        var text = new StringBuilder();
        void Line(IEnumerable<string> cells) => text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        Line(headers.Select((h, i) => h.PadRight(widths[i])));
        Line(widths.Select(w => new string('-', w)));
        foreach (var row in _rows)
        {
            Line(row.Select((c, i) => c.PadRight(widths[i])));
        }
        return text.ToString();
    }
}
