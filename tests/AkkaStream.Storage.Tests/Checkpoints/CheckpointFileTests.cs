using System.Globalization;
using System.Text;
using AkkaStream.Storage.Checkpoints;
using AkkaStream.Storage.Tests.Support;

namespace AkkaStream.Storage.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static bool AnyLine(string line, out string entry)
    {
        entry = line;
        return true;
    }

    private static bool NonEmptyLine(string line, out string entry)
    {
        entry = line;
        return line.Length > 0;
    }

    private static bool Long(string line, out long value) =>
        long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    [Fact]
    public void Write_produces_version_count_and_one_line_per_entry()
    {
        var path = _dir.File("checkpoint");

        CheckpointFile.Write(path, 0, ["0 0", "1 5", "3 10"]);

        Assert.Equal("0\n3\n0 0\n1 5\n3 10\n", File.ReadAllText(path));
        Assert.Equal(Encoding.UTF8.GetByteCount("0\n3\n0 0\n1 5\n3 10\n"), new FileInfo(path).Length); // no BOM
    }

    [Fact]
    public void Write_of_no_entries_is_version_and_zero()
    {
        var path = _dir.File("checkpoint");

        CheckpointFile.Write(path, 7, []);

        Assert.Equal("7\n0\n", File.ReadAllText(path));
        var read = CheckpointFile.Read<string>(path, 7, AnyLine);
        Assert.Equal(CheckpointStatus.Valid, read.Status);
        Assert.Empty(read.Entries);
    }

    [Fact]
    public void Read_returns_what_was_written()
    {
        var path = _dir.File("checkpoint");
        CheckpointFile.Write(path, 0, ["a", "b c", "d"]);

        var read = CheckpointFile.Read<string>(path, 0, AnyLine);

        Assert.Equal(CheckpointStatus.Valid, read.Status);
        Assert.Null(read.Problem);
        Assert.Equal(["a", "b c", "d"], read.Entries);
    }

    [Fact]
    public void A_single_number_checkpoint_round_trips()
    {
        // The shape of the log's recovery-point and log-start-offset checkpoints.
        var path = _dir.File("recovery-point-offset-checkpoint");
        CheckpointFile.Write(path, 0, [12345678901L.ToString(CultureInfo.InvariantCulture)]);

        var read = CheckpointFile.Read<long>(path, 0, Long);

        Assert.Equal(CheckpointStatus.Valid, read.Status);
        Assert.Equal([12345678901L], read.Entries);
    }

    [Fact]
    public void Write_replaces_the_previous_content_and_leaves_no_temp_file()
    {
        var path = _dir.File("checkpoint");
        CheckpointFile.Write(path, 0, ["old 1", "old 2", "old 3"]);

        CheckpointFile.Write(path, 0, ["new"]);

        Assert.Equal("0\n1\nnew\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + CheckpointFile.TempSuffix));
        Assert.Equal(["checkpoint"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_leftover_temp_file_is_ignored_by_read_and_replaced_by_write()
    {
        var path = _dir.File("checkpoint");
        CheckpointFile.Write(path, 0, ["kept"]);
        File.WriteAllText(path + CheckpointFile.TempSuffix, "0\n2\nhalf-written"); // an interrupted write

        Assert.Equal(["kept"], CheckpointFile.Read<string>(path, 0, AnyLine).Entries);

        CheckpointFile.Write(path, 0, ["next"]);
        Assert.Equal(["next"], CheckpointFile.Read<string>(path, 0, AnyLine).Entries);
        Assert.False(File.Exists(path + CheckpointFile.TempSuffix));
    }

    [Fact]
    public void A_missing_file_is_missing_not_corrupt()
    {
        var read = CheckpointFile.Read<string>(_dir.File("absent"), 0, AnyLine);

        Assert.Equal(CheckpointStatus.Missing, read.Status);
        Assert.Empty(read.Entries);
        Assert.Null(read.Problem);
    }

    [Fact]
    public void A_file_in_a_missing_directory_is_missing()
    {
        var read = CheckpointFile.Read<string>(Path.Combine(_dir.Path, "no-such-dir", "checkpoint"), 0, AnyLine);

        Assert.Equal(CheckpointStatus.Missing, read.Status);
    }

    [Fact]
    public void Windows_line_endings_are_accepted()
    {
        var path = _dir.File("checkpoint");
        File.WriteAllText(path, "0\r\n2\r\n0 0\r\n1 5\r\n");

        var read = CheckpointFile.Read<string>(path, 0, AnyLine);

        Assert.Equal(CheckpointStatus.Valid, read.Status);
        Assert.Equal(["0 0", "1 5"], read.Entries);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0\n", "count line is missing")]
    [InlineData("0", "line break")]
    [InlineData("0\n1\n5", "line break")]
    [InlineData("1\n0\n", "version 1, expected 0")]
    [InlineData("zero\n0\n", "version 'zero'")]
    [InlineData("0\n-1\n", "entry count '-1'")]
    [InlineData("0\ntwo\na\nb\n", "entry count 'two'")]
    [InlineData("0\n3\na\nb\n", "announces 3 entries but the file has 2")]
    [InlineData("0\n1\na\nb\n", "announces 1 entries but the file has 2")]
    [InlineData("0\n2\na\n\n", "line 4: malformed entry ''")]
    [InlineData("\n", "version ''")]
    public void Damaged_files_are_corrupt_with_the_problem_named(string content, string problem)
    {
        var path = _dir.File("checkpoint");
        File.WriteAllText(path, content);

        var read = CheckpointFile.Read<string>(path, 0, NonEmptyLine);

        Assert.Equal(CheckpointStatus.Corrupt, read.Status);
        Assert.Empty(read.Entries);
        Assert.Contains(problem, read.Problem);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_corrupt()
    {
        var path = _dir.File("checkpoint");
        File.WriteAllBytes(path, [(byte)'0', (byte)'\n', (byte)'1', (byte)'\n', 0xFF, 0xFE, (byte)'\n']);

        var read = CheckpointFile.Read<string>(path, 0, AnyLine);

        Assert.Equal(CheckpointStatus.Corrupt, read.Status);
        Assert.Contains("UTF-8", read.Problem);
    }

    [Fact]
    public void An_entry_the_parser_rejects_makes_the_file_corrupt()
    {
        var path = _dir.File("checkpoint");
        CheckpointFile.Write(path, 0, ["1", "two", "3"]);

        var read = CheckpointFile.Read<long>(path, 0, Long);

        Assert.Equal(CheckpointStatus.Corrupt, read.Status);
        Assert.Contains("line 4: malformed entry 'two'", read.Problem);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\r")]
    public void Write_refuses_an_entry_with_a_line_break_and_keeps_the_old_file(string entry)
    {
        var path = _dir.File("checkpoint");
        CheckpointFile.Write(path, 0, ["old"]);

        Assert.Throws<ArgumentException>(() => CheckpointFile.Write(path, 0, ["fine", entry]));

        Assert.Equal("0\n1\nold\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_refuses_a_negative_version()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointFile.Write(_dir.File("checkpoint"), -1, []));
    }

    [Fact]
    public void Write_into_a_missing_directory_fails_with_an_io_error()
    {
        Assert.ThrowsAny<IOException>(() => CheckpointFile.Write(Path.Combine(_dir.Path, "gone", "checkpoint"), 0, []));
    }

    [Fact]
    public void Directory_sync_flushes_an_existing_directory()
    {
        DirectorySync.Flush(_dir.Path); // must not throw
    }

    [Fact]
    public void Directory_sync_of_a_missing_directory_fails_where_directories_can_be_synced()
    {
        if (OperatingSystem.IsWindows())
            return; // a no-op there, by design

        Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(_dir.Path, "gone")));
    }
}
