namespace AkkaStream.Broker.Hosting;

/// <summary>Values written into HOCON text that the broker derives from its settings. Thread-safe (stateless).</summary>
internal static class HoconText
{
    /// <summary>A quoted HOCON string: connection strings and host names may hold characters HOCON would read otherwise.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
