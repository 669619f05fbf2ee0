namespace Acre.Tasks;

/// <summary>Where ACR Tasks keep their files and how their hosts are named.</summary>
/// <remarks>
/// Under <c>tasks</c> in the store's folder (<c>{data-dir}/store</c>, or the temporary one of <c>--in-memory</c>):
/// <c>source/{registry}/</c> uploaded contexts, <c>logs/{registry}/{run}.log</c> run logs, <c>work/</c> the scratch
/// space of running builds, <c>blob-signing.key</c> the key of the upload and log URLs.
/// </remarks>
public sealed class TasksOptions(string storeDirectory, string suffix, Func<int> httpsPort)
{
    /// <summary>The storage account name of the blob-style host that takes uploads and serves logs.</summary>
    public const string BlobAccount = "acreuploads";

    /// <summary>How many runs execute at once; more wait <c>Queued</c> (ACR gives each run an agent).</summary>
    public int ConcurrentRuns { get; init; } = 2;

    /// <summary>How long an uploaded context that nothing needs is kept: ACR's upload URL lives an hour.</summary>
    public TimeSpan UploadRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Time between passes of the collector of uploaded contexts and orphaned logs.</summary>
    public TimeSpan CollectInterval { get; init; } = TimeSpan.FromMinutes(10);

    public string Root { get; } = Path.Combine(storeDirectory, "tasks");

    public string SourceDirectory => Path.Combine(Root, "source");

    public string LogDirectory => Path.Combine(Root, "logs");

    public string WorkDirectory => Path.Combine(Root, "work");

    public string KeyPath => Path.Combine(Root, "blob-signing.key");

    public string Suffix => suffix;

    /// <summary>The host the CLI reads as <c>ACCOUNT.blob.SUFFIX</c>.</summary>
    public string BlobHost => $"{BlobAccount}.blob.{suffix}";

    public string BlobEndpoint => $"https://{BlobHost}{PortSuffix}";

    public string LoginServer(string registry) => $"{registry}.{suffix}{PortSuffix}";

    private string PortSuffix => httpsPort() == 443 ? "" : $":{httpsPort()}";
}
