using Acre.Cli;

namespace Acre.Hosting;

/// <summary><c>acre hosts</c>: the <c>/etc/hosts</c> lines for every registry in the data directory.</summary>
public static class HostsCommand
{
    public static async Task<int> RunAsync(AcreOptions options, TextWriter output, CancellationToken ct)
    {
        var hosts = new HostNames(options.LoginServerSuffix, options.DefaultRegistry);
        if (!options.InMemory && !File.Exists(Path.Combine(options.FullDataDir, "store", "acre.db")))
        {
            await Console.Error.WriteLineAsync($"No Acre data in {options.FullDataDir}; give the --data-dir Acre runs with.");
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

        return 0;
    }
}
