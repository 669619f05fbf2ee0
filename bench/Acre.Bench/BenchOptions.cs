using System.Globalization;
using System.Text.Json;

namespace Acre.Bench;

/// <summary>What to measure and where the servers are; every size defaults to the documented full run.</summary>
public sealed record BenchOptions
{
    public static readonly string[] AllScenarios = ["startup", "catalog", "small", "blobs", "bigpush"];

    public required string AcreDataDir { get; init; }

    public required string AcrePassword { get; init; }

    public string? AcreDll { get; init; }

    public required Uri Distribution { get; init; }

    public int? DistributionPid { get; init; }

    public Uri? Nginx { get; init; }

    public string? NginxRoot { get; init; }

    public int? NginxPid { get; init; }

    public string WorkDir { get; init; } = Path.GetTempPath();

    public int BlobMiB { get; init; } = 1024;

    public int ChunkMiB { get; init; } = 8;

    public int BigBlobMiB { get; init; } = 4096;

    public int Images { get; init; } = 1000;

    public int Clients { get; init; } = 32;

    public int Repositories { get; init; } = 2000;

    public int PageSize { get; init; } = 100;

    public int Rounds { get; init; } = 3;

    public int CatalogWalks { get; init; } = 10;

    public int Starts { get; init; } = 5;

    public bool Https { get; init; } = true;

    public bool FillPageCache { get; init; } = true;

    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios.ToHashSet();

    public string? Output { get; init; }

    public string Versions { get; init; } = "";

    /// <summary>Parses <c>--name value</c> pairs; throws with the offending option on anything unknown.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--no-https" or "--no-page-cache-fill")
            {
                values[name] = "true";
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --option value, got '{name}'");
            }

            values[name] = args[++i];
        }

        var options = new OptionReader(values);
        var parsed = new BenchOptions
        {
            AcreDataDir = options.Required("--acre-data-dir"),
            AcrePassword = options.Text("--acre-password") ?? Environment.GetEnvironmentVariable("ACRE_ADMIN_PASSWORD")
                ?? throw new ArgumentException("--acre-password (or ACRE_ADMIN_PASSWORD) is required"),
            AcreDll = options.Text("--acre-dll"),
            Distribution = LoopbackHttp.RequireLoopback(new Uri(options.Required("--distribution"))),
            DistributionPid = options.Number("--distribution-pid"),
            Nginx = options.Text("--nginx") is { } nginx ? LoopbackHttp.RequireLoopback(new Uri(nginx)) : null,
            NginxRoot = options.Text("--nginx-root"),
            NginxPid = options.Number("--nginx-pid"),
            WorkDir = options.Text("--work-dir") ?? Path.GetTempPath(),
            BlobMiB = options.Number("--blob-mib") ?? 1024,
            ChunkMiB = options.Number("--chunk-mib") ?? 8,
            BigBlobMiB = options.Number("--big-blob-mib") ?? 4096,
            Images = options.Number("--images") ?? 1000,
            Clients = options.Number("--clients") ?? 32,
            Repositories = options.Number("--repos") ?? 2000,
            PageSize = options.Number("--page-size") ?? 100,
            Rounds = options.Number("--rounds") ?? 3,
            CatalogWalks = options.Number("--catalog-walks") ?? 10,
            Starts = options.Number("--starts") ?? 5,
            Https = options.Text("--no-https") is null,
            FillPageCache = options.Text("--no-page-cache-fill") is null,
            Scenarios = (options.Text("--only")?.Split(',') ?? AllScenarios).ToHashSet(StringComparer.Ordinal),
            Output = options.Text("--out"),
            Versions = options.Text("--versions") ?? "",
        };
        options.RejectUnread();
        return parsed;
    }

    /// <summary>The ports, pid and CA that the running Acre wrote to <c>{data-dir}/acre.json</c>.</summary>
    public AcreInstance ReadAcre()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AcreDataDir, "acre.json")));
        var root = json.RootElement;
        return new AcreInstance(
            root.GetProperty("pid").GetInt32(),
            root.GetProperty("httpPort").GetInt32(),
            root.GetProperty("httpsPort").GetInt32(),
            root.GetProperty("caCertificate").GetString()!);
    }

    private sealed class OptionReader(Dictionary<string, string> values)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public string? Text(string name)
        {
            _read.Add(name);
            return values.GetValueOrDefault(name);
        }

        public string Required(string name) => Text(name) ?? throw new ArgumentException($"{name} is required");

        public int? Number(string name) =>
            Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

        public void RejectUnread()
        {
            if (values.Keys.FirstOrDefault(k => !_read.Contains(k)) is { } unknown)
            {
                throw new ArgumentException($"unknown option {unknown}");
            }
        }
    }
}

/// <summary>The Acre that run.sh started.</summary>
public sealed record AcreInstance(int Pid, int HttpPort, int HttpsPort, string CaCertificate);
