using System.Text;
using Microsoft.AspNetCore.Http;

namespace Acre.Tasks.Blobs;

/// <summary>Azure Storage's error answer: the code in <c>x-ms-error-code</c> and an XML body.</summary>
public static class StorageError
{
    public static IResult Result(HttpContext http, int status, string code, string message)
    {
        http.Response.Headers["x-ms-error-code"] = code;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return Results.StatusCode(status);
        }

        string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" +
            System.Security.SecurityElement.Escape(message) + "</Message></Error>";
        return Results.Text(body, "application/xml", Encoding.UTF8, status);
    }

    public static IResult AuthenticationFailed(HttpContext http) => Result(http, 403, "AuthenticationFailed",
        "Server failed to authenticate the request. The signature is missing, expired or does not match the blob.");

    public static IResult BlobNotFound(HttpContext http) =>
        Result(http, 404, "BlobNotFound", "The specified blob does not exist.");
}
