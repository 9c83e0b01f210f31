using AkkaStream.Cli.Formatting;

namespace AkkaStream.Cli.Tests.Formatting;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_are_as_wide_as_their_widest_cell_and_lines_have_no_trailing_spaces()
    {
        var lines = TextTable.Lines(["A", "LONG-NAME", "C"], [["wide cell", "x", ""], ["y", "z", "last"]]);

        Assert.Equal(["A          LONG-NAME  C", "wide cell  x", "y          z          last"], lines);
    }
}
