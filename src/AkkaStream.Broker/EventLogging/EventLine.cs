using System.Globalization;
using System.Text;
using AkkaStream.Records.Ids;

namespace AkkaStream.Broker.EventLogging;

/// <summary>
/// One operator-facing event (a leadership or ISR change, a truncation, a recovery, a refused
/// request) as one line of <c>key=value</c> pairs, for people and for <c>grep</c> or a log shipper
/// alike: <c>event=leader-elected topic=orders partition=3 epoch=7 leader=2 ... broker=2</c>.
/// <c>event</c> comes first and <c>broker</c> (the broker that writes the line) last; keys are
/// kebab-case. A value with a space, a quote or an <c>=</c> is quoted; lists read <c>[1,2,3]</c>.
/// docs/LOGS.md lists every event. Not thread-safe: build one per line.
/// </summary>
public sealed class EventLine
{
    private readonly StringBuilder _text = new(128);

    private EventLine(string name, bool isWarning)
    {
        Name = name;
        IsWarning = isWarning;
        _text.Append("event=").Append(name);
    }

    public string Name { get; }

    /// <summary>Written at Warning (refused requests, unclean elections, offline partitions); at Info otherwise.</summary>
    public bool IsWarning { get; }

    public static EventLine Info(string name) => new(name, isWarning: false);

    public static EventLine Warning(string name) => new(name, isWarning: true);

    public EventLine Partition(TopicPartition partition) => Partition(partition.Topic, partition.Partition);

    public EventLine Partition(string topic, int partition) => With("topic", topic).With("partition", partition);

    public EventLine Epoch(int epoch) => With("epoch", epoch);

    public EventLine With(string key, long value)
    {
        _text.Append(' ').Append(key).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public EventLine With(string key, bool value) => With(key, value ? "true" : "false");

    public EventLine With(string key, IEnumerable<int> values) => WithList(key, values);

    public EventLine With(string key, IEnumerable<long> values) => WithList(key, values);

    public EventLine With(string key, string? value)
    {
        _text.Append(' ').Append(key).Append('=');
        AppendValue(value ?? "");
        return this;
    }

    /// <summary>The line, ending with <c>broker=</c><paramref name="broker"/>.</summary>
    public string Render(int broker) => new StringBuilder(_text.Length + 12).Append(_text).Append(" broker=").Append(broker).ToString();

    public override string ToString() => _text.ToString();

    private EventLine WithList<T>(string key, IEnumerable<T> values)
    {
        _text.Append(' ').Append(key).Append("=[").AppendJoin(',', values).Append(']');
        return this;
    }

    private void AppendValue(string value)
    {
        if (value.Length > 0 && value.AsSpan().IndexOfAny(" =\"\\\t\r\n") < 0)
        {
            _text.Append(value);
            return;
        }
        _text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default: _text.Append(c); break;
            }
        }
        _text.Append('"');
    }
}
