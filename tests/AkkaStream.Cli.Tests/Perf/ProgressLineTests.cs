using AkkaStream.Cli.Perf;

namespace AkkaStream.Cli.Tests.Perf;

public sealed class ProgressLineTests
{
    [Fact]
    public async Task On_a_terminal_each_report_overwrites_the_last_and_the_end_moves_to_a_new_line()
    {
        var error = new StringWriter();
        var progress = new ProgressLine(error, inPlace: true);

        await progress.WriteAsync("[10/100 10%] long line");
        await progress.WriteAsync("[20/100 20%] short");
        await progress.EndAsync();

        // The shorter report is padded over what is left of the longer one.
        Assert.Equal("\r[10/100 10%] long line\r[20/100 20%] short    " + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task Elsewhere_each_report_is_a_line_of_its_own()
    {
        var error = new StringWriter();
        var progress = new ProgressLine(error, inPlace: false);

        await progress.WriteAsync("one");
        await progress.WriteAsync("two");
        await progress.EndAsync();

        Assert.Equal("one" + Environment.NewLine + "two" + Environment.NewLine, error.ToString());
    }
}
