using System.Net;
using System.Text.Json;

namespace Acre.Tests.Support;

/// <summary>Assertions on the data plane's <c>{"errors":[…]}</c> answers.</summary>
public static class Errors
{
    public static async Task<JsonElement[]> AssertAsync(HttpResponseMessage response, HttpStatusCode status,
        string code)
    {
        Assert.Equal(status, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.Clone()).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(code, e.GetProperty("code").GetString()));
        return errors;
    }
}
