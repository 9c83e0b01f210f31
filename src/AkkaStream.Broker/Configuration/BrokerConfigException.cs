namespace AkkaStream.Broker.Configuration;

/// <summary>
/// A broker setting that is missing or has a value the broker cannot use. Names the setting, what
/// was expected, and, once known, where the value came from (<see cref="Origin"/>): the
/// <c>--config</c> file, <c>--set</c>, or an embedded file.
/// </summary>
public sealed class BrokerConfigException : Exception
{
    public BrokerConfigException(string key, string problem, Exception? inner = null)
        : this(key, problem, source: null, inner)
    {
    }

    private BrokerConfigException(string key, string problem, string? source, Exception? inner)
        : base(source is null ? $"{key}: {problem}" : $"{source}: {key}: {problem}", inner)
    {
        Key = key;
        Problem = problem;
        Origin = source;
    }

    /// <summary>The full HOCON path of the setting, e.g. <c>akkastream.broker-id</c>.</summary>
    public string Key { get; }

    /// <summary>What is wrong with the value and what is expected, without the key or the source.</summary>
    public string Problem { get; }

    /// <summary>Where the setting came from, e.g. <c>/etc/akkastream/node-1.conf</c> or <c>--set</c>; null until known.</summary>
    public string? Origin { get; }

    /// <summary>The same error, naming where the setting came from.</summary>
    public BrokerConfigException WithOrigin(string source) => new(Key, Problem, source, InnerException);
}
