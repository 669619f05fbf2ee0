using Acre.Management.Arm;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Resources;

/// <summary><c>/subscriptions</c> and <c>/tenants</c>: the one subscription and tenant Acre has.</summary>
public static class SubscriptionEndpoints
{
    public static void Map(RouteGroup arm, ArmContext context)
    {
        arm.Get("/subscriptions", () => Results.Json(new { value = new[] { Subscription(context) } }));
        arm.Get("/subscriptions/{subscriptionId}", (string subscriptionId) =>
            context.IsKnownSubscription(subscriptionId)
                ? Results.Json(Subscription(context))
                : ArmError.SubscriptionNotFound(subscriptionId));
        arm.Get("/subscriptions/{subscriptionId}/locations", (string subscriptionId) =>
            context.IsKnownSubscription(subscriptionId)
                ? Results.Json(new { value = Locations.All.Select(l => Location(context, l)) })
                : ArmError.SubscriptionNotFound(subscriptionId));
        arm.Get("/tenants", () => Results.Json(new
        {
            value = new[]
            {
                new
                {
                    id = $"/tenants/{context.Identity.TenantId}",
                    tenantId = context.Identity.TenantId,
                    tenantCategory = "Home",
                    displayName = "Acre",
                    defaultDomain = "acre.localhost",
                    domains = new[] { "acre.localhost" },
                },
            },
        }));
    }

    private static object Subscription(ArmContext context) => new
    {
        id = $"/subscriptions/{context.SubscriptionId}",
        subscriptionId = context.SubscriptionId,
        tenantId = context.Identity.TenantId,
        displayName = "Acre",
        state = "Enabled",
        subscriptionPolicies = new
        {
            locationPlacementId = "Public_2014-09-01",
            quotaId = "PayAsYouGo_2014-09-01",
            spendingLimit = "Off",
        },
        authorizationSource = "RoleBased",
        managedByTenants = Array.Empty<object>(),
    };

    private static object Location(ArmContext context, string name) => new
    {
        id = $"/subscriptions/{context.SubscriptionId}/locations/{name}",
        name,
        displayName = name,
        regionalDisplayName = name,
        type = "Region",
    };
}
