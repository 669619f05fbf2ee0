using System.Net;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.DataPlane;

public sealed class ListingTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>
{
    [Fact]
    public async Task Tags_PageWithLink()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        foreach (string tag in new[] { "c", "a", "b" })
        {
            await pusher.PushImageAsync("list/tags", tag);
        }

        using var first = await client.GetAsync("/v2/list/tags/tags/list?n=2");
        string link = first.Headers.GetValues("Link").Single();
        using var second = await client.GetAsync(link[1..link.IndexOf('>', StringComparison.Ordinal)]);
        using var all = await client.GetAsync("/v2/list/tags/tags/list");

        Assert.Equal(["a", "b"], await NamesAsync(first, "tags"));
        Assert.Equal("</v2/list/tags/tags/list?last=b&n=2>; rel=\"next\"", link);
        Assert.Equal(["c"], await NamesAsync(second, "tags"));
        Assert.False(second.Headers.Contains("Link"));
        Assert.Equal(["a", "b", "c"], await NamesAsync(all, "tags"));
    }

    [Fact]
    public async Task Tags_OfUnknownRepository_IsNameUnknown()
    {
        using var client = acre.Admin();

        using var response = await client.GetAsync("/v2/list/none/tags/list");

        await Errors.AssertAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("x")]
    public async Task Tags_WithBadN_Is400(string n)
    {
        using var client = acre.Admin();

        using var response = await client.GetAsync($"/v2/list/tags/tags/list?n={n}");

        await Errors.AssertAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Catalog_PagesLexically()
    {
        using var client = acre.Admin();
        var pusher = new OciPusher(client);
        foreach (string name in new[] { "zz/b", "zz/a", "zz/c" })
        {
            await pusher.PushImageAsync(name, "1");
        }

        using var page = await client.GetAsync("/v2/_catalog?last=zz/a&n=1");
        using var rest = await client.GetAsync("/v2/_catalog?last=zz/b");

        Assert.Equal(["zz/b"], await NamesAsync(page, "repositories"));
        Assert.Contains("last=zz%2Fb", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(["zz/c"], await NamesAsync(rest, "repositories"));
    }

    private static async Task<string[]> NamesAsync(HttpResponseMessage response, string property)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
    }
}
