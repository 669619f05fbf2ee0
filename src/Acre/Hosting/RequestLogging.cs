using System.Diagnostics;
using Acre.Registry;
using Acre.Registry.Errors;

namespace Acre.Hosting;

/// <summary>One completion line per request at Information: method, path, status, time, registry, error code.</summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            string? code = context.Items.TryGetValue(typeof(ErrorResult), out var e) && e is ErrorResult error
                ? error.Errors[0].Code
                : null;
            string registry = IsDataPlane(context.Request.Path) ? RegistryFeature.Get(context)?.Name ?? "-" : "-";
            if (context.RequestAborted.IsCancellationRequested)
            {
                LogAborted(logger, context.Request.Method, context.Request.Path, registry, elapsed);
            }
            else
            {
                LogCompleted(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode,
                    elapsed, registry, code ?? "-");
            }
        }
    }

    /// <summary>Only data-plane requests belong to a registry; ARM and identity requests name none.</summary>
    private static bool IsDataPlane(PathString path) =>
        path.StartsWithSegments("/v2") || path.StartsWithSegments("/acr") || path.StartsWithSegments("/oauth2");

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} in {ElapsedMs:0.0} ms, registry {Registry}, error {ErrorCode}")]
    private static partial void LogCompleted(
        ILogger logger, string method, PathString path, int status, double elapsedMs, string registry,
            string errorCode);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "{Method} {Path} aborted by the client after {ElapsedMs:0.0} ms, registry {Registry}")]
    private static partial void LogAborted(
        ILogger logger, string method, PathString path, string registry, double elapsedMs);
}
