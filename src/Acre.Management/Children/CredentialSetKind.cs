using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Storage;
using Acre.Transfer;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>
/// Credential sets: the credentials of an upstream login server, given as Key Vault secret URIs that Acre resolves
/// from its own configuration. A set whose secrets do not resolve is shown unhealthy; values are never shown.
/// </summary>
public sealed partial class CredentialSetKind(SecretResolver secrets) : ChildKind
{
    public override string Segment => CacheRules.CredentialSetKind;

    public override bool IsValidName(string name) => NamePattern().IsMatch(name);

    public override Task<(JsonObject? Properties, IResult? Error)> BuildAsync(
        ChildContext context, RegistryRecord registry, string name, JsonObject given, JsonObject? existing)
    {
        var properties = existing?.DeepClone().AsObject() ?? new JsonObject
        {
            ["creationDate"] = context.Now.UtcDateTime.ToString("O"),
        };
        if (given["loginServer"] is { } loginServer)
        {
            string? value = ArmBody.Text(loginServer);
            if (string.IsNullOrWhiteSpace(value) || value.Contains('/', StringComparison.Ordinal))
            {
                return Fail("'loginServer' must be a registry host name, such as docker.io.");
            }

            properties["loginServer"] = value;
        }
        else if (existing is null)
        {
            return Fail("A credential set needs a 'loginServer'.");
        }

        if (given["authCredentials"] is JsonArray credentials)
        {
            if (credentials.Count != 1 || credentials[0] is not JsonObject credential ||
                ArmBody.Text(credential["usernameSecretIdentifier"]) is not { Length: > 0 } user ||
                ArmBody.Text(credential["passwordSecretIdentifier"]) is not { Length: > 0 } password)
            {
                return Fail("'authCredentials' must hold one credential with usernameSecretIdentifier and " +
                    "passwordSecretIdentifier.");
            }

            properties["authCredentials"] = new JsonArray(new JsonObject
            {
                ["name"] = ArmBody.Text(credential["name"]) ?? "Credential1",
                ["usernameSecretIdentifier"] = user,
                ["passwordSecretIdentifier"] = password,
            });
        }
        else if (existing is null)
        {
            return Fail("A credential set needs 'authCredentials'.");
        }

        properties["provisioningState"] = "Succeeded";
        return Task.FromResult<(JsonObject?, IResult?)>((properties, null));
    }

    /// <summary>Health is worked out on every read, so a secret set after the fact heals the set.</summary>
    public override JsonObject Present(JsonObject properties)
    {
        if (properties["authCredentials"] is JsonArray credentials)
        {
            foreach (var credential in credentials.OfType<JsonObject>())
            {
                string? missing = new[] { "usernameSecretIdentifier", "passwordSecretIdentifier" }
                    .Select(f => ArmBody.Text(credential[f]) ?? "")
                    .FirstOrDefault(uri => secrets.Resolve(uri) is null);
                credential["credentialHealth"] = missing is null
                    ? new JsonObject { ["status"] = "Healthy" }
                    : new JsonObject
                    {
                        ["status"] = "Unhealthy",
                        ["errorCode"] = "AccessDenied",
                        ["errorMessage"] = $"The secret '{missing}' cannot be resolved; give it to Acre with " +
                            $"--secret {missing}=VALUE or " +
                            $"{SecretResolver.VariableName(missing) ?? "a --secret option"}.",
                    };
            }
        }

        return properties;
    }

    private static Task<(JsonObject?, IResult?)> Fail(string message) =>
        Task.FromResult<(JsonObject?, IResult?)>((null, ArmError.Invalid("InvalidRequestContent", message)));

    [GeneratedRegex("^[a-zA-Z0-9-]{5,50}$")]
    private static partial Regex NamePattern();
}
