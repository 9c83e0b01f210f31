using System.Text;
using AkkaStream.Client;
using AkkaStream.Client.Producer;
using AkkaStream.Records.Errors;

namespace AkkaStream.Fault.Workload;

/// <summary>
/// Keeps every partition of a topic busy: one loop per partition produces values
/// <c>p&lt;partition&gt;-&lt;sequence&gt;</c> (unique, so the checker can tell a duplicate from a
/// record) with up to <c>window</c> records outstanding, and records every acknowledgement with
/// its offset. Runs until <see cref="StopAsync"/>; faults may come and go meanwhile.
/// <see cref="Start"/> and <see cref="StopAsync"/> from one driver; <see cref="Acks"/> and
/// <see cref="Produced"/> may be read from any thread while it runs.
/// </summary>
public sealed class ProducerWorkload
{
    private readonly AkkaStreamProducer _producer;
    private readonly string _topic;
    private readonly int _partitions;
    private readonly int _window;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public ProducerWorkload(AkkaStreamProducer producer, string topic, int partitions, int window)
    {
        _producer = producer;
        _topic = topic;
        _partitions = partitions;
        _window = window;
    }

    public AckLog Acks { get; } = new();

    public DateTime StartedUtc { get; private set; }

    public DateTime StoppedUtc { get; private set; }

    /// <summary>Records produced (acknowledged or not).</summary>
    public long Produced => Interlocked.Read(ref _produced);

    private long _produced;

    public static string ValueOf(int partition, long sequence) => $"p{partition}-{sequence:D9}";

    /// <summary>The (partition, sequence) a value was produced as, or null for a value this workload never made.</summary>
    public static (int Partition, long Sequence)? Parse(byte[]? value)
    {
        if (value is null) return null;
        var text = Encoding.UTF8.GetString(value);
        var dash = text.IndexOf('-');
        return text.StartsWith('p') && dash > 1
            && int.TryParse(text.AsSpan(1, dash - 1), out var partition)
            && long.TryParse(text.AsSpan(dash + 1), out var sequence)
            ? (partition, sequence)
            : null;
    }

    public void Start()
    {
        StartedUtc = DateTime.UtcNow;
        for (var p = 0; p < _partitions; p++)
        {
            var partition = p;
            _loops.Add(Task.Run(() => RunAsync(partition)));
        }
    }

    /// <summary>Stops producing and waits for the outcome of every record already produced.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        StoppedUtc = DateTime.UtcNow;
    }

    private async Task RunAsync(int partition)
    {
        using var window = new SemaphoreSlim(_window);
        var outstanding = new List<Task>();
        for (long sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            try
            {
                await window.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Interlocked.Increment(ref _produced);
            var seq = sequence;
            outstanding.Add(ProduceOneAsync(partition, seq).ContinueWith(_ => window.Release(), TaskScheduler.Default));
            outstanding.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(outstanding).ConfigureAwait(false);
    }

    private async Task ProduceOneAsync(int partition, long sequence)
    {
        try
        {
            var report = await _producer.ProduceAsync(_topic, null, Encoding.UTF8.GetBytes(ValueOf(partition, sequence)), partition: partition).ConfigureAwait(false);
            Acks.Acknowledged(new Ack(report.Partition, sequence, report.Offset, DateTime.UtcNow));
        }
        catch (AkkaStreamException e)
        {
            Acks.Failed(e.Code);
        }
    }
}
