using System.Text.RegularExpressions;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Resources;

/// <summary>Generic resource lists of a subscription or group, with <c>$filter</c> and <c>$top</c> paging.</summary>
public static partial class ResourceListEndpoints
{
    public static void Map(RouteGroup arm, ArmContext context, RegistryService registries)
    {
        arm.Get("/subscriptions/{subscriptionId}/resources", (HttpContext http, string subscriptionId,
            CancellationToken ct) => ListAsync(http, context, registries, subscriptionId, null, ct));
        arm.Get("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources", (HttpContext http,
            string subscriptionId, string resourceGroupName, CancellationToken ct) =>
            ListAsync(http, context, registries, subscriptionId, resourceGroupName, ct));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ArmContext context, RegistryService registries,
        string subscriptionId, string? group, CancellationToken ct)
    {
        if (!context.IsKnownSubscription(subscriptionId))
        {
            return ArmError.SubscriptionNotFound(subscriptionId);
        }

        if (group is not null && await context.Metadata.GetResourceGroupAsync(context.SubscriptionId, group,
            ct) is null)
        {
            return ArmError.ResourceGroupNotFound(group);
        }

        if (Filter.Parse(http.Request.Query["$filter"].ToString()) is not { } filter)
        {
            return ArmError.Invalid("InvalidFilterInQueryString",
                "The $filter is not supported; Acre reads 'resourceType eq', 'name eq' and 'resourceGroup eq' " +
                "joined by 'and'.");
        }

        var resources = (await registries.ListAsync(group, ct))
            .Where(r => filter.Matches(RegistryDocument.ResourceType, r.DisplayName, r.ResourceGroup))
            .Select(r => new
            {
                id = RegistryDocument.IdOf(r),
                name = r.DisplayName,
                type = RegistryDocument.ResourceType,
                sku = new { name = r.Sku, tier = r.Sku },
                location = r.Location,
                tags = ArmBody.TagsNode(r.TagsJson),
            })
            .ToList();
        return Page(http, resources);
    }

    private static IResult Page<T>(HttpContext http, List<T> items)
    {
        int skip = int.TryParse(http.Request.Query["$skiptoken"], out int s) && s > 0 ? s : 0;
        int top = int.TryParse(http.Request.Query["$top"], out int t) && t > 0 ? t : 1000;
        var page = items.Skip(skip).Take(top).ToList();
        string? next = null;
        if (skip + top < items.Count)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["$skiptoken"] = (skip + top).ToString(System.Globalization.CultureInfo.InvariantCulture);
            next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
                $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}", query);
        }

        return Results.Json(new { value = page, nextLink = next });
    }

    /// <summary>The part of OData's <c>$filter</c> that clients send to ARM's resource lists.</summary>
    private sealed partial record Filter(IReadOnlyList<(string Field, string Value)> Terms)
    {
        public static Filter? Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return new Filter([]);
            }

            var terms = new List<(string, string)>();
            foreach (string part in AndSplit().Split(text.Trim()))
            {
                var match = Term().Match(part.Trim());
                if (!match.Success)
                {
                    return null;
                }

                terms.Add((match.Groups[1].Value.ToLowerInvariant(),
                    match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal)));
            }

            return new Filter(terms);
        }

        public bool Matches(string type, string name, string group) => Terms.All(term => term.Field switch
        {
            "resourcetype" => type.Equals(term.Value, StringComparison.OrdinalIgnoreCase),
            "name" => name.Equals(term.Value, StringComparison.OrdinalIgnoreCase),
            "resourcegroup" => group.Equals(term.Value, StringComparison.OrdinalIgnoreCase),
            _ => false,
        });

        [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
        private static partial Regex AndSplit();

        [GeneratedRegex(@"^(resourceType|name|resourceGroup)\s+eq\s+'((?:[^']|'')*)'$", RegexOptions.IgnoreCase)]
        private static partial Regex Term();
    }
}
