namespace Acre.Transfer;

/// <summary>How Acre reaches other registries: the system's CAs plus any given, and plain HTTP on loopback
/// only.</summary>
public sealed record UpstreamOptions
{
    /// <summary>PEM files of extra CAs to trust for upstream registries.</summary>
    public IReadOnlyList<string> ExtraCaFiles { get; init; } = [];

    /// <summary>Whether a loopback upstream may be reached over plain HTTP; never any other host.</summary>
    public bool AllowInsecureLoopback { get; init; }

    /// <summary>Secret values by Key Vault secret URI, for credential sets.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}
