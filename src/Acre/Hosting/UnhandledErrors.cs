using System.Text.Json;

namespace Acre.Hosting;

/// <summary>
/// The last line of defence: a failure nobody expected is logged with its exception and answered in the error
/// shape of the surface it hit (the spec's on the data plane, ARM's elsewhere), never as an empty 500.
/// </summary>
public sealed partial class UnhandledErrors(RequestDelegate next, ILogger<UnhandledErrors> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            LogFailed(logger, e, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            bool dataPlane = context.Request.Path.StartsWithSegments("/v2") ||
                context.Request.Path.StartsWithSegments("/acr") || context.Request.Path.StartsWithSegments("/oauth2");
            object body = dataPlane
                ? new { errors = new[] { new { code = "UNKNOWN", message = "an internal error occurred" } } }
                : new { error = new { code = "InternalServerError", message = "An internal error occurred." } };
            await context.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Default);
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}
