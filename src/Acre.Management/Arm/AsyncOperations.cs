using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>
/// ARM's asynchronous pattern. Acre finishes its work before it answers, so each operation is born finished;
/// the headers and status documents still follow ARM, so that SDK pollers and the CLI behave as against Azure.
/// </summary>
public sealed class AsyncOperations(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records a finished operation and adds <c>Azure-AsyncOperation</c> (and <c>Location</c>)
    /// headers.</summary>
    public void Complete(HttpContext context, string subscriptionId, string location, bool withLocation,
        string status = "Succeeded", object? error = null)
    {
        var now = time.GetUtcNow();
        string id = Guid.NewGuid().ToString();
        _operations[id] = new Operation(id, status, now, now, error);
        string root = $"{context.Request.Scheme}://{context.Request.Host}/subscriptions/{subscriptionId}" +
            $"/providers/Microsoft.ContainerRegistry/locations/{location}";
        string version = context.Request.Query["api-version"].ToString();
        context.Response.Headers["Azure-AsyncOperation"] = $"{root}/operationStatuses/{id}?api-version={version}";
        if (withLocation)
        {
            context.Response.Headers.Location = $"{root}/operationResults/{id}?api-version={version}";
        }

        context.Response.Headers.RetryAfter = "1";
    }

    public IResult Status(string id)
    {
        if (!_operations.TryGetValue(id, out var operation))
        {
            return ArmError.Result(404, "OperationNotFound", $"The operation '{id}' was not found.");
        }

        return Results.Json(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = id,
            ["status"] = operation.Status,
            ["startTime"] = operation.Started,
            ["endTime"] = operation.Ended,
            ["error"] = operation.Error,
        });
    }

    public IResult Result(string id) => _operations.ContainsKey(id)
        ? Results.NoContent()
        : ArmError.Result(404, "OperationNotFound", $"The operation '{id}' was not found.");

    private sealed record Operation(string Id, string Status, DateTimeOffset Started, DateTimeOffset Ended,
        object? Error);
}
