using AkkaStream.Broker.Logs;
using AkkaStream.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>What actor tests of partition entities share: an in-memory journal, and a log manager in a temp directory.</summary>
public static class TestConfigs
{
    /// <summary>
    /// Warnings only, and patient expectations: the first message of a test class pays for
    /// JIT-compiling the actor under test while other test assemblies run beside it on two cores,
    /// and the 3 s default was not always enough.
    /// </summary>
    public const string Quiet = """
        akka.loglevel = WARNING
        akka.test.single-expect-default = 15s
        """;

    public const string InMemoryPersistence = Quiet + """

        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    /// <summary>A log manager whose maintenance never runs on its own during a test.</summary>
    public static LogManager OpenLogs(TempDir dir) => LogManager.Open(dir.Path, LogConfig.Default, null, TimeSpan.FromHours(1), 1, NullLogger.Instance);
}
