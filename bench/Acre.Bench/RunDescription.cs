using System.Globalization;
using System.Text;

namespace Acre.Bench;

/// <summary>The header of a result file: when, where, what was compared, and how each side was reached.</summary>
public static class RunDescription
{
    public static string Render(BenchContext context, DateTimeOffset started, string[] args)
    {
        var options = context.Options;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Acre benchmark, {started:yyyy-MM-dd HH:mm} UTC").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Machine.Describe()}");
        if (options.Versions.Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- versions: {options.Versions}");
        }

        foreach (var endpoint in context.Registries.Append(context.Nginx).OfType<Endpoint>())
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {endpoint.Name}: {endpoint.BaseUri}, auth: {endpoint.Auth}");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"- sizes: blobs {options.BlobMiB} MiB (chunks {options.ChunkMiB} MiB), " +
            $"big push {options.BigBlobMiB} MiB, " +
            $"{options.Images} images on {options.Clients} clients, {options.Repositories} repositories, " +
            $"{options.Rounds} rounds (median shown), {options.CatalogWalks} catalog walks, {options.Starts} starts");
        text.AppendLine(CultureInfo.InvariantCulture, $"- tool arguments: `{string.Join(' ', Redact(args))}`");
        return text.AppendLine().ToString();
    }

    /// <summary>The arguments with the admin password left out.</summary>
    private static IEnumerable<string> Redact(string[] args) =>
        args.Select((arg, i) => i > 0 && args[i - 1] == "--acre-password" ? "***" : arg);
}
