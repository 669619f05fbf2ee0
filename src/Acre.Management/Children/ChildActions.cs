using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Children;

/// <summary>The actions of children: a registry's generateCredentials, a webhook's ping, events and callback.</summary>
public static class ChildActions
{
    private const string Webhook = RegistryEndpoints.Registry + "/webhooks/{webhookName}";

    public static void Map(RouteGroup arm, ChildContext context, WebhookDelivery delivery, TokenKind tokens)
    {
        var service = context.Registries;
        arm.Post(RegistryEndpoints.Registry + "/generateCredentials", (HttpContext http, string subscriptionId,
            string resourceGroupName, string registryName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(
                service, subscriptionId, resourceGroupName, registryName, ct,
                r => GenerateCredentialsAsync(http, context, tokens, r, ct)));
        arm.Post(RegistryEndpoints.Registry + "/connectedRegistries/{connectedRegistryName}/deactivate",
            (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
                string connectedRegistryName, CancellationToken ct) => RegistryEndpoints.WithRegistryAsync(service,
                subscriptionId, resourceGroupName, registryName, ct,
                r => DeactivateAsync(context, r, connectedRegistryName, ct)));
        arm.Post(Webhook + "/ping", (string subscriptionId, string resourceGroupName, string registryName,
            string webhookName, CancellationToken ct) => WithWebhookAsync(context, subscriptionId, resourceGroupName,
                registryName, webhookName, ct, async (registry, webhook) =>
                {
                    var payload = delivery.Payload("ping", null);
                    await delivery.SendAsync(registry.Name, webhook.Name, ChildEndpoints.StoredProperties(webhook)!,
                        payload, ct);
                    return Results.Json(new { id = payload["id"]!.GetValue<string>() });
                }));
        arm.Post(Webhook + "/listEvents", (string subscriptionId, string resourceGroupName, string registryName,
            string webhookName, CancellationToken ct) => WithWebhookAsync(context, subscriptionId, resourceGroupName,
                registryName, webhookName, ct, async (registry, webhook) =>
                {
                    var events = await context.Metadata.ListWebhookEventsAsync(registry.Name, webhook.Name, 1000, ct);
                    return Results.Json(new { value = events.Select(e => JsonNode.Parse(e.BodyJson)) });
                }));
        arm.Post(Webhook + "/getCallbackConfig", (string subscriptionId, string resourceGroupName, string registryName,
            string webhookName, CancellationToken ct) => WithWebhookAsync(context, subscriptionId, resourceGroupName,
                registryName, webhookName, ct, (_, webhook) =>
                {
                    var properties = ChildEndpoints.StoredProperties(webhook)!;
                    return Task.FromResult(Results.Json(new JsonObject
                    {
                        ["serviceUri"] = properties["serviceUri"]?.DeepClone(),
                        ["customHeaders"] = properties["customHeaders"]?.DeepClone() ?? new JsonObject(),
                    }));
                }));
    }

    private static async Task<IResult> WithWebhookAsync(ChildContext context, string subscriptionId, string group,
        string registryName, string webhookName, CancellationToken ct,
        Func<RegistryRecord, ChildRecord, Task<IResult>> action)
    {
        var registry = await context.Registries.FindAsync(subscriptionId, group, registryName, ct);
        if (registry is null)
        {
            return ArmError.NotFound(RegistryDocument.ResourceType, registryName, group);
        }

        var webhook = await context.Metadata.GetChildAsync(registry.Name, "webhooks", webhookName, ct);
        return webhook is null
            ? ArmError.NotFound("Microsoft.ContainerRegistry/registries/webhooks", webhookName, group)
            : await action(registry, webhook);
    }

    private static async Task<IResult> DeactivateAsync(
        ChildContext context, RegistryRecord registry, string name, CancellationToken ct)
    {
        var child = await context.Metadata.GetChildAsync(registry.Name, "connectedRegistries", name, ct);
        if (child is null)
        {
            return ArmError.NotFound("Microsoft.ContainerRegistry/registries/connectedRegistries", name,
                registry.ResourceGroup);
        }

        var stored = (JsonObject)JsonNode.Parse(child.BodyJson)!;
        ConnectedRegistryKind.Deactivate((JsonObject)stored["properties"]!);
        await context.Metadata.PutChildAsync(child with { BodyJson = stored.ToJsonString(), Updated = context.Now },
            ct);
        return Results.Ok();
    }

    private static async Task<IResult> GenerateCredentialsAsync(
        HttpContext http, ChildContext context, TokenKind tokens, RegistryRecord registry, CancellationToken ct)
    {
        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        string tokenId = ArmBody.Text(body["tokenId"]) ?? "";
        string prefix = $"{context.RegistryId(registry)}/tokens/";
        var token = tokenId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? await context.Metadata.GetChildAsync(registry.Name, tokens.Segment, tokenId[prefix.Length..], ct)
            : null;
        if (token is null)
        {
            return ArmError.Invalid("InvalidTokenId", $"The token '{tokenId}' does not exist in this registry.");
        }

        string? name = ArmBody.Text(body["name"]);
        if (name is not (null or "password1" or "password2"))
        {
            return ArmError.Invalid("InvalidRequestContent", "'name' must be password1 or password2.");
        }

        DateTimeOffset? expiry = DateTimeOffset.TryParse(ArmBody.Text(body["expiry"]), out var e) ? e : null;
        var stored = (JsonObject)JsonNode.Parse(token.BodyJson)!;
        var properties = (JsonObject)stored["properties"]!;
        var passwords = TokenKind.Generate(properties, name is null ? ["password1", "password2"] : [name],
            context.Now, expiry);
        await context.Metadata.PutChildAsync(token with { BodyJson = stored.ToJsonString(), Updated = context.Now },
            ct);
        return Results.Json(new JsonObject { ["username"] = token.Name, ["passwords"] = passwords });
    }
}
