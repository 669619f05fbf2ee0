namespace Acre.Transfer;

/// <summary>A user name and password for an upstream registry.</summary>
public sealed record UpstreamCredentials(string UserName, string Password);
