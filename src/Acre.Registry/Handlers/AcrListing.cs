using System.Diagnostics.CodeAnalysis;
using Acre.Registry.Errors;
using Acre.Storage;

namespace Acre.Registry.Handlers;

/// <summary>
/// The page an <c>/acr/v1/</c> list asks for: <c>n</c> and <c>last</c> as on <c>/v2/</c> (<c>n=0</c> is an
/// empty page), and <c>orderby</c>, one of the data-plane spec's <c>none</c>, <c>timedesc</c> and <c>timeasc</c>.
/// </summary>
internal sealed record AcrListing(int Limit, string? Last, ListOrder Order, string OrderBy)
{
    /// <summary>
    /// The listing asked for, or the error for a bad parameter. The spec names no error for an unknown
    /// <c>orderby</c>; it is refused as a bad <c>n</c> is, 400, with <c>UNSUPPORTED</c> and the values allowed.
    /// </summary>
    public static bool TryRead(DataPlaneRequest request, [NotNullWhen(true)] out AcrListing? listing,
        [NotNullWhen(false)] out ErrorResult? error)
    {
        listing = null;
        error = null;
        if (ListingHandlers.ReadPaging(request) is not { } paging)
        {
            error = ErrorResult.Of(ErrorCode.PaginationNumberInvalid, detail: new { n = request.Query("n") });
            return false;
        }

        string orderBy = request.Query("orderby");
        ListOrder? order = orderBy.ToLowerInvariant() switch
        {
            "" or "none" => ListOrder.Name,
            "timedesc" => ListOrder.TimeDescending,
            "timeasc" => ListOrder.TimeAscending,
            _ => null,
        };
        if (order is null)
        {
            error = ErrorResult.Of(ErrorCode.Unsupported, "orderby must be timedesc, timeasc or none",
                new { orderby = orderBy }, 400);
            return false;
        }

        listing = new AcrListing(paging.Limit, paging.Last, order.Value, orderBy);
        return true;
    }

    /// <summary>The <c>Link</c> to the next page, when more follow a page that is not empty.</summary>
    public void AddLink<T>(DataPlaneRequest request, string path, IReadOnlyList<T> page, bool more,
        Func<T, string> key)
    {
        string extra = OrderBy.Length > 0 ? $"&orderby={Uri.EscapeDataString(OrderBy)}" : "";
        ListingHandlers.AddLink(request, path, more && page.Count > 0 ? key(page[^1]) : null, Limit, extra);
    }
}
