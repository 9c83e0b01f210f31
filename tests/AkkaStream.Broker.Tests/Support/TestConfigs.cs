using AkkaStream.Broker.Logs;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>What actor tests of partition entities share: an in-memory journal, and a log manager in a temp directory.</summary>
public static class TestConfigs
{
    public const string InMemoryPersistence = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.loglevel = WARNING
        """;

    /// <summary>A log manager whose maintenance never runs on its own during a test.</summary>
    public static LogManager OpenLogs(TempDir dir) => LogManager.Open(dir.Path, LogConfig.Default, null, TimeSpan.FromHours(1), 1, NullLogger.Instance);
}
