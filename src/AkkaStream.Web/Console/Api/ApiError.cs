using AkkaStream.Records.Errors;
using Microsoft.AspNetCore.Http;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// The console API's error answer: a JSON body naming the Kafka error code (its name and number)
/// and what was wrong. Bad input answers 4xx; a cluster that cannot answer now (no leader, a
/// timeout, the broker still starting) answers 503/504. Never 500: an operator's typo is not a
/// server fault.
/// </summary>
public sealed record ApiError(string Error, int Code, string Message)
{
    /// <param name="status">The HTTP status when the code alone does not say whose fault it is; <see cref="StatusFor"/> otherwise.</param>
    public static IResult Result(ErrorCode code, string message, int? status = null) =>
        Results.Json(new ApiError(code.ToString(), (int)code, message), statusCode: status ?? StatusFor(code));

    /// <summary>The HTTP status that says whose fault <paramref name="code"/> is.</summary>
    public static int StatusFor(ErrorCode code) => code switch
    {
        ErrorCode.UnknownTopicOrPartition or ErrorCode.GroupIdNotFound => StatusCodes.Status404NotFound,
        ErrorCode.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
        ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderOrFollower or ErrorCode.BrokerNotAvailable
            or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress or ErrorCode.NotCoordinator
            or ErrorCode.ReplicaNotAvailable or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch
            or ErrorCode.KafkaStorageError or ErrorCode.NetworkException or ErrorCode.UnknownServerError => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}
