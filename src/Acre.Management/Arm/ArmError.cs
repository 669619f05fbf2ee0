using Microsoft.AspNetCore.Http;

namespace Acre.Management.Arm;

/// <summary>ARM's error envelope, <c>{"error":{"code","message"}}</c>; the one place the management plane writes
/// it.</summary>
public static class ArmError
{
    public static IResult Result(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    public static IResult NotFound(string type, string name, string? group = null) => Result(404,
        "ResourceNotFound",
        $"The Resource '{type}/{name}' under resource group '{group ?? "-"}' was not found. " +
        "For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    public static IResult ResourceGroupNotFound(string group) =>
        Result(404, "ResourceGroupNotFound", $"Resource group '{group}' could not be found.");

    public static IResult SubscriptionNotFound(string subscription) =>
        Result(404, "SubscriptionNotFound", $"The subscription '{subscription}' could not be found.");

    public static IResult InvalidBody(string message) => Result(400, "InvalidRequestContent", message);

    public static IResult Invalid(string code, string message) => Result(400, code, message);
}
