using Acre.Content;
using Acre.Identity;
using Acre.Identity.Entra;
using Acre.Registry.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Acre.Registry.Auth;

/// <summary>
/// ACR's <c>/oauth2/token</c>: an access token for the requested scopes, narrowed to what the caller holds. The
/// caller is named by a refresh token, Basic credentials (Docker's GET), a password grant (containerd, the CLI),
/// or nobody at all where the registry allows anonymous pull.
/// </summary>
public sealed class TokenEndpoint(RegistryTokens tokens, CallerAuthenticator authenticator, IdentityOptions identity)
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
        Caller? caller;
        if (HttpMethods.IsPost(request.Method))
        {
            if (!request.HasFormContentType)
            {
                return OAuthError("invalid_request", "the request body must be a form");
            }

            var form = await request.ReadFormAsync(context.RequestAborted);
            scopes = scopes.Concat(form["scope"]);
            string grantType = form["grant_type"].ToString();
            caller = grantType switch
            {
                "refresh_token" => authenticator.RefreshTokenCaller(registry, form["refresh_token"].ToString()),
                "password" => await FromCredentialsAsync(registry, form["username"], form["password"],
                    context.RequestAborted),
                _ => null,
            };
            if (grantType is not ("refresh_token" or "password"))
            {
                return OAuthError("unsupported_grant_type", "grant_type must be refresh_token or password");
            }
        }
        else
        {
            string header = request.Headers[HeaderNames.Authorization].ToString();
            var basic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                ? CallerAuthenticator.ParseBasic(header.AsSpan(6).Trim())
                : null;
            caller = header.Length == 0
                ? await FromCredentialsAsync(registry, null, null, context.RequestAborted)
                : basic is { } c
                    ? await authenticator.CheckPasswordAsync(registry, c.User, c.Password, context.RequestAborted)
                    : null;
        }

        if (caller is null)
        {
            return OAuthError("unauthorized", "authentication required", StatusCodes.Status401Unauthorized);
        }

        var granted = Narrow(AccessScope.ParseMany(scopes), caller);
        var body = new Dictionary<string, string>
        {
            ["access_token"] = tokens.IssueAccessToken(registry.Audience, caller.Name, granted,
                caller.Kind == CallerKind.Token ? caller.Name : null),
        };
        if (caller.Kind == CallerKind.Principal && request.Query["offline_token"] == "true")
        {
            body["refresh_token"] = tokens.IssueRefreshToken(registry.Audience, caller.Name, identity.TenantId);
        }

        return Results.Json(body);
    }

    /// <summary>A password grant: named credentials, or none for anonymous pull where the registry allows it.</summary>
    private async Task<Caller?> FromCredentialsAsync(
        RegistryFeature registry, string? user, string? password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(password))
        {
            return registry.Registry!.AnonymousPullEnabled ? new Caller("", CallerKind.Anonymous, null) : null;
        }

        return user is null || password is null
            ? null
            : await authenticator.CheckPasswordAsync(registry, user, password, ct);
    }

    /// <summary>Keeps the well-formed scopes the caller may hold; anything else is silently dropped, as ACR
    /// does.</summary>
    private static List<AccessScope> Narrow(IReadOnlyList<AccessScope> requested, Caller caller)
    {
        var granted = new List<AccessScope>();
        foreach (var scope in requested)
        {
            if (scope.Type == AccessScope.Registry && scope.Name == AccessScope.Catalog && caller.HoldsEverything)
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
