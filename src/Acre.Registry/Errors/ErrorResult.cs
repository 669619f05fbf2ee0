using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Errors;

/// <summary>Writes the spec's error envelope; the one place the data plane's errors are serialised.</summary>
public sealed class ErrorResult(int status, IReadOnlyList<RegistryError> errors) : IResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Status => status;

    public IReadOnlyList<RegistryError> Errors => errors;

    public static ErrorResult Of(ErrorCode code, string? message = null, object? detail = null, int? status = null) =>
        new(status ?? code.Status, [new RegistryError(code.Value, message ?? code.Message, detail)]);

    public static ErrorResult Of(ErrorCode code, IEnumerable<(string Message, object? Detail)> entries) =>
        new(code.Status, [.. entries.Select(e => new RegistryError(code.Value, e.Message, e.Detail))]);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        httpContext.Items[typeof(ErrorResult)] = this;
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }

        await JsonSerializer.SerializeAsync(response.Body, new { errors }, Json, httpContext.RequestAborted);
    }
}
