using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acre.Management.Arm;

/// <summary>A set of ARM routes that share one filter (and so one list of api-versions).</summary>
public sealed class RouteGroup(IEndpointRouteBuilder endpoints, IEndpointFilter filter)
{
    public void Get(string pattern, Delegate handler) => Add(endpoints.MapGet(pattern, handler));

    public void Put(string pattern, Delegate handler) => Add(endpoints.MapPut(pattern, handler));

    public void Patch(string pattern, Delegate handler) => Add(endpoints.MapPatch(pattern, handler));

    public void Delete(string pattern, Delegate handler) => Add(endpoints.MapDelete(pattern, handler));

    public void Post(string pattern, Delegate handler) => Add(endpoints.MapPost(pattern, handler));

    public void Head(string pattern, Delegate handler) =>
        Add(endpoints.MapMethods(pattern, [HttpMethods.Head], handler));

    private void Add(RouteHandlerBuilder builder) => builder.AddEndpointFilter(filter);
}
