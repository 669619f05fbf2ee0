using Acre.Cli;

namespace Acre.Hosting;

/// <summary><c>acre hosts</c>: the <c>/etc/hosts</c> lines of the registries in the data directory and Tasks.</summary>
public static class HostsCommand
{
    public static async Task<int> RunAsync(AcreOptions options, TextWriter output, CancellationToken ct)
    {
        var hosts = new HostNames(options.LoginServerSuffix, options.DefaultRegistry);
        if (!options.InMemory && !File.Exists(Path.Combine(options.FullDataDir, "store", "acre.db")))
        {
            await Console.Error.WriteLineAsync(
                $"No Acre data in {options.FullDataDir}; give the --data-dir Acre runs with.");
            return 1;
        }

        using var storage = StorageLocation.Open(options);
        var registries = await storage.Metadata.ListRegistriesAsync(ct);
        var names = registries.Select(r
            => r.Name).Append(options.DefaultRegistry).Distinct().Order(StringComparer.Ordinal);
        foreach (string name in names)
        {
            output.WriteLine(hosts.HostsLine(name));
        }

        // The blob host of ACR Tasks, where az acr build uploads its context and reads the run's log.
        output.WriteLine($"127.0.0.1 {hosts.BlobHost}");

        return 0;
    }
}
