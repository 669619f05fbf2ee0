namespace Acre.Cli;

/// <summary>Everything the <c>acre</c> command is told, from options or their <c>ACRE_…</c> variables.</summary>
public sealed record AcreOptions
{
    public int Port { get; init; } = 8443;

    public int? HttpPort { get; init; }

    public string DataDir { get; init; } = ".acre";

    public bool InMemory { get; init; }

    public string LoginServerSuffix { get; init; } = "azurecr.localhost";

    public string LogLevel { get; init; } = "Information";

    public string DefaultRegistry { get; init; } = "local";

    public string? AdminPassword { get; init; }

    public TimeSpan CollectInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan CollectGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many ACR Tasks runs execute at once.</summary>
    public int ConcurrentRuns { get; init; } = 2;

    /// <summary>The tenant, subscription and principals of the built-in Entra ID.</summary>
    public Identity.Entra.IdentityOptions Identity { get; init; } = new();

    /// <summary>Extra host names routed to the management plane and added to the certificates.</summary>
    public IReadOnlyList<string> ManagementHosts { get; init; } = [];

    /// <summary>How Acre reaches other registries (import, cache rules) and the secrets of credential sets.</summary>
    public Transfer.UpstreamOptions Upstream { get; init; } = new();

    public string FullDataDir => Path.GetFullPath(DataDir);
}
