using AkkaStream.Kafka.Protocol.Framing;
using AkkaStream.Kafka.Protocol.Schema;
using AkkaStream.Protocol.Messages;

namespace AkkaStream.Kafka.Handlers;

/// <summary>
/// DescribeCluster 0: the cluster id, the broker that runs the controller, and every broker with
/// its Kafka listener's address, from the broker's metadata cache. Stateless, so thread-safe.
/// </summary>
public sealed class DescribeClusterHandler : IKafkaApiHandler
{
    public ApiKey Key => ApiKey.DescribeCluster;

    public async Task<MessageStruct> HandleAsync(KafkaRequestContext context, DecodedRequest request, CancellationToken cancellation)
    {
        var response = request.Api.Response.NewDefault();
        if (await GatewayAsk.AskAsync<DescribeClusterResponse>(context, DescribeClusterRequest.Instance, context.AskTimeout, cancellation) is not { } cluster)
        {
            return response
                .With("ErrorCode", (short)Records.Errors.ErrorCode.RequestTimedOut)
                .With("ErrorMessage", $"the metadata cache did not answer within {context.AskTimeout.TotalSeconds:0.#} s")
                .With("ClusterId", "");
        }
        var brokerSchema = response.Schema.ElementOf("Brokers");
        return response
            .With("ClusterId", cluster.ClusterId)
            .With("ControllerId", cluster.ControllerId)
            // As in Metadata: a broker without a Kafka listener is left out, a client could not reach it.
            .With("Brokers", cluster.Brokers.Where(b => b.KafkaPort > 0).Select(b => (object?)brokerSchema.NewDefault()
                .With("BrokerId", b.BrokerId)
                .With("Host", b.KafkaHost)
                .With("Port", b.KafkaPort)).ToArray());
    }
}
