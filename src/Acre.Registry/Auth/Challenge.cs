using Acre.Identity;
using Acre.Registry.Errors;
using Microsoft.AspNetCore.Http;

namespace Acre.Registry.Auth;

/// <summary>The 401 answer with the Docker token challenge, naming the host and scheme the client used.</summary>
public static class Challenge
{
    public static ErrorResult Unauthorized(HttpContext context, AccessScope? scope, string? error = null)
    {
        var request = context.Request;
        string host = request.Host.Value ?? "localhost";
        string header = $"Bearer realm=\"{request.Scheme}://{host}/oauth2/token\",service=\"{host}\"";
        if (scope is not null)
        {
            header += $",scope=\"{scope}\"";
        }

        if (error is not null)
        {
            header += $",error=\"{error}\"";
        }

        context.Response.Headers.WWWAuthenticate = header;
        var detail = scope is null
            ? null
            : new[] { new { Type = scope.Type, Name = scope.Name, Action = string.Join(',', scope.Actions) } };
        return ErrorResult.Of(ErrorCode.Unauthorized, detail: detail);
    }
}
