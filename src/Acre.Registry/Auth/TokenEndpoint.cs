using Acre.Content;
using Acre.Identity;
using Acre.Registry.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Auth;

/// <summary>
/// ACR's <c>/oauth2/token</c>: Docker's GET with Basic credentials and containerd's POST password grant, each
/// answered with an access token for the requested scopes, narrowed to what the caller holds.
/// </summary>
public sealed class TokenEndpoint(RegistryTokens tokens)
{
    private static readonly HashSet<string> RepositoryActions =
        ["pull", "push", "delete", "metadata_read", "metadata_write", "*"];

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var registry = RegistryFeature.Get(context);
        if (registry?.Registry is null)
        {
            return ErrorResult.Of(ErrorCode.NameUnknown, "registry not found");
        }

        var request = context.Request;
        IEnumerable<string?> scopes = request.Query["scope"];
        string? user = null;
        string? password = null;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            if (form["grant_type"] != "password")
            {
                return OAuthError("unsupported_grant_type", "grant_type must be password");
            }

            user = form["username"];
            password = form["password"];
            scopes = scopes.Concat(form["scope"]);
        }
        else if (request.Headers[HeaderNames.Authorization].ToString() is { } header &&
                 header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (CallerAuthenticator.ParseBasic(header.AsSpan(6).Trim()) is { } basic)
            {
                (user, password) = basic;
            }
        }

        var caller = user is null || password is null
            ? null
            : CallerAuthenticator.CheckPassword(registry.Registry, user, password);
        if (caller is null)
        {
            return OAuthError("unauthorized", "authentication required", StatusCodes.Status401Unauthorized);
        }

        var granted = Narrow(AccessScope.ParseMany(scopes), caller);
        string token = tokens.IssueAccessToken(registry.Audience, caller.Name, granted);
        return Results.Json(new { access_token = token });
    }

    /// <summary>Keeps the well-formed scopes the caller may hold; anything else is silently dropped, as ACR does.</summary>
    private static List<AccessScope> Narrow(IReadOnlyList<AccessScope> requested, Caller caller)
    {
        var granted = new List<AccessScope>();
        foreach (var scope in requested)
        {
            if (scope.Type == AccessScope.Registry && scope.Name == AccessScope.Catalog && caller.IsAdmin)
            {
                granted.Add(AccessScope.ForCatalog());
            }
            else if (scope.Type == AccessScope.Repository && Names.IsValidRepository(scope.Name))
            {
                string[] actions = [.. scope.Actions.Where(RepositoryActions.Contains).Distinct()];
                var allowed = actions.Where(a => caller.May(AccessScope.ForRepository(scope.Name, a))).ToArray();
                if (allowed.Length > 0)
                {
                    granted.Add(AccessScope.ForRepository(scope.Name, allowed));
                }
            }
        }

        return granted;
    }

    private static IResult OAuthError(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
