namespace Acre.Transfer;

/// <summary>An upstream registry refused or failed a request; <see cref="Status"/> is its HTTP status, 0 if
/// unreachable.</summary>
public sealed class UpstreamException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public bool IsNotFound => Status == 404;

    public bool IsUnauthorized => Status is 401 or 403;
}
