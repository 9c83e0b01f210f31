using System.Text;
using Akka.Actor;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Producer;

/// <summary>
/// Task-returning face of a <see cref="ProducerActor"/>. Thread-safe. Records produced through it
/// go to the actor's <see cref="ProduceInbox"/>, which the actor empties in bursts (one actor
/// message per burst, not per record), in the order they were produced. Applications that are
/// actors themselves may <c>Tell</c> <see cref="Actor"/> a <see cref="ProduceRecord"/> and receive
/// <see cref="DeliveryReport"/>s as messages instead.
/// </summary>
public sealed class AkkaStreamProducer : IAsyncDisposable
{
    private readonly ProduceInbox _inbox;
    private readonly TimeSpan _flushTimeout;
    private readonly TimeSpan _closeTimeout;

    internal AkkaStreamProducer(IActorRef actor, ProduceInbox inbox, TimeSpan flushTimeout, TimeSpan closeTimeout)
    {
        Actor = actor;
        _inbox = inbox;
        _flushTimeout = flushTimeout;
        _closeTimeout = closeTimeout;
    }

    /// <summary>The producer actor.</summary>
    public IActorRef Actor { get; }

    /// <summary>
    /// Produces one record and completes with where it was written; throws
    /// <see cref="AkkaStreamException"/> with the Kafka error code when it was not.
    /// </summary>
    public Task<DeliveryReport> ProduceAsync(
        string topic,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<RecordHeaderData>? headers = null,
        long? timestamp = null,
        int? partition = null)
    {
        var completion = new TaskCompletionSource<DeliveryReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.Add(new ProduceRecord(topic, key, value, headers, timestamp, partition)
        {
            OnDelivery = report =>
            {
                if (report.IsSuccess)
                {
                    completion.TrySetResult(report);
                }
                else
                {
                    completion.TrySetException(new AkkaStreamException(report.Error, report.ErrorMessage ?? report.Error.ToString()));
                }
            },
        }, replyTo: null);
        return completion.Task;
    }

    /// <summary><see cref="ProduceAsync(string, byte[], byte[], IReadOnlyList{RecordHeaderData}, long?, int?)"/> with UTF-8 text.</summary>
    public Task<DeliveryReport> ProduceAsync(string topic, string? key, string? value) =>
        ProduceAsync(topic, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// Produces without waiting. <paramref name="onDelivery"/> runs on the producer actor's thread
    /// with the outcome: keep it short and never block in it.
    /// </summary>
    public void Produce(
        string topic,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<RecordHeaderData>? headers = null,
        long? timestamp = null,
        Action<DeliveryReport>? onDelivery = null) =>
        _inbox.Add(new ProduceRecord(topic, key, value, headers, timestamp) { OnDelivery = onDelivery }, replyTo: null);

    /// <summary>
    /// Produces without waiting; the <see cref="DeliveryReport"/> goes to the record's
    /// <see cref="ProduceRecord.OnDelivery"/> (on the producer actor's thread: keep it short), or
    /// nowhere when it has none. The cheapest way to produce many records.
    /// </summary>
    public void Produce(ProduceRecord record) => _inbox.Add(record, replyTo: null);

    /// <summary>Produces without waiting; the <see cref="DeliveryReport"/> is sent to <paramref name="replyTo"/>.</summary>
    public void Produce(ProduceRecord record, IActorRef replyTo) => _inbox.Add(record, replyTo);

    /// <summary>Sends every buffered record now and completes once each record produced before the call has its report.</summary>
    public Task FlushAsync(TimeSpan? timeout = null) => Actor.Ask<Flushed>(Flush.Instance, timeout ?? _flushTimeout);

    /// <summary>
    /// Flushes for at most <paramref name="timeout"/> (request-timeout by default), then stops the
    /// actor; records still unreported then get no report.
    /// </summary>
    public async ValueTask CloseAsync(TimeSpan? timeout = null)
    {
        try
        {
            await FlushAsync(timeout ?? _closeTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // Closing must not hang on a broker that does not answer.
        }
        finally
        {
            Actor.Tell(PoisonPill.Instance);
        }
    }

    /// <summary><see cref="CloseAsync"/> with its default timeout.</summary>
    public ValueTask DisposeAsync() => CloseAsync();
}
