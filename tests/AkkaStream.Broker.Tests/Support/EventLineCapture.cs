using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace AkkaStream.Broker.Tests.Support;

/// <summary>
/// An Akka logger (<see cref="Settings"/> installs it beside the default one) that keeps every
/// event line (<c>event=...</c>) its ActorSystem logs at Info or Warning, from the system's first
/// moment on: a broker's start-up recovery is logged before a test could subscribe.
/// </summary>
public sealed class EventLineCapture : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Installs the capture beside the default logger; at the configured level, so Warning lines (refusals) only by default in tests.</summary>
    public static readonly string Logger =
        $"akka.loggers = [\"Akka.Event.DefaultLogger, Akka\", \"{typeof(EventLineCapture).FullName}, {typeof(EventLineCapture).Assembly.GetName().Name}\"]";

    /// <summary>The capture, and every event line (Info too).</summary>
    public static readonly string[] Settings =
    [
        "akka.loglevel = INFO",
        Logger,
        // The default logger would print every Info line of three brokers to the test output.
        "akka.stdout-loglevel = WARNING",
    ];

    private static readonly ConditionalWeakTable<ActorSystem, ConcurrentQueue<CapturedLine>> Captured = new();

    public EventLineCapture()
    {
        var lines = Captured.GetValue(Context.System, _ => new ConcurrentQueue<CapturedLine>());
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<Info>(e => Keep(lines, e, isWarning: false));
        Receive<Warning>(e => Keep(lines, e, isWarning: true));
        ReceiveAny(_ => { });
    }

    /// <summary>The event lines <paramref name="system"/> logged so far, in order.</summary>
    public static IReadOnlyList<CapturedLine> Of(ActorSystem system) =>
        Captured.TryGetValue(system, out var lines) ? [.. lines] : [];

    /// <summary>The first line captured on any of <paramref name="systems"/> that matches, waiting up to <paramref name="within"/> for it.</summary>
    public static async Task<CapturedLine> FirstAsync(IEnumerable<ActorSystem> systems, Func<CapturedLine, bool> match, TimeSpan within)
    {
        CapturedLine? found = null;
        await Eventually.True(() => (found = systems.SelectMany(Of).FirstOrDefault(match)) is not null, within,
            () => "no such line among: " + string.Join(Environment.NewLine, systems.SelectMany(Of)));
        return found!;
    }

    private static void Keep(ConcurrentQueue<CapturedLine> lines, LogEvent e, bool isWarning)
    {
        var text = e.Message?.ToString();
        if (text is not null && text.StartsWith("event=", StringComparison.Ordinal)) lines.Enqueue(new CapturedLine(text, isWarning));
    }
}

/// <summary>One captured event line, and whether it was logged at Warning.</summary>
public sealed record CapturedLine(string Text, bool IsWarning)
{
    /// <summary>The line's fields; a quoted value comes back without its quotes.</summary>
    public IReadOnlyDictionary<string, string> Fields => Parse(Text);

    public string this[string key] => Fields.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no '{key}' in: {Text}");

    public bool Has(string key, string value) => Fields.TryGetValue(key, out var actual) && actual == value;

    public override string ToString() => Text;

    private static Dictionary<string, string> Parse(string text)
    {
        var fields = new Dictionary<string, string>();
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var key = text[i..equals];
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = i + 1;
                var builder = new System.Text.StringBuilder();
                while (text[end] != '"')
                {
                    if (text[end] == '\\') end++;
                    builder.Append(text[end]);
                    end++;
                }
                value = builder.ToString();
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(' ', i);
                value = end < 0 ? text[i..] : text[i..end];
                i = end < 0 ? text.Length : end;
            }
            fields[key] = value;
            while (i < text.Length && text[i] == ' ') i++;
        }
        return fields;
    }
}
