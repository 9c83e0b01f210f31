using System.Text;
using Akka.Actor;
using AkkaStream.Records.Batches;
using AkkaStream.Records.Errors;

namespace AkkaStream.Client.Producer;

/// <summary>
/// Task-returning face of a <see cref="ProducerActor"/>. Thread-safe: every call is a message to
/// the actor. Applications that are actors themselves may <c>Tell</c> <see cref="Actor"/> a
/// <see cref="ProduceRecord"/> and receive <see cref="DeliveryReport"/>s as messages instead.
/// </summary>
public sealed class AkkaStreamProducer : IAsyncDisposable
{
    private readonly TimeSpan _flushTimeout;
    private readonly TimeSpan _closeTimeout;

    internal AkkaStreamProducer(IActorRef actor, TimeSpan flushTimeout, TimeSpan closeTimeout)
    {
        Actor = actor;
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
        Actor.Tell(new ProduceRecord(topic, key, value, headers, timestamp, partition)
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
        });
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
        Actor.Tell(new ProduceRecord(topic, key, value, headers, timestamp) { OnDelivery = onDelivery });

    /// <summary>Produces without waiting; the <see cref="DeliveryReport"/> is sent to <paramref name="replyTo"/>.</summary>
    public void Produce(ProduceRecord record, IActorRef replyTo) => Actor.Tell(record, replyTo);

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
