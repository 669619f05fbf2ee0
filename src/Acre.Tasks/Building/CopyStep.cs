using System.Text.Json.Nodes;
using Acre.Tasks.Dockerfiles;

namespace Acre.Tasks.Building;

/// <summary>
/// COPY and ADD: the sources (from the context, an earlier stage or an image of the registry) laid out under
/// their destination in a fresh directory, which becomes one layer. ADD unpacks local tar archives.
/// </summary>
internal sealed class CopyStep(BuildRequest request, BaseImages bases, int stageIndex, int layerIndex)
{
    public async Task<LayerRef> RunAsync(Instruction instruction, string text, JsonObject config,
        List<(string? Name, ImageState Image)> stages, CancellationToken ct)
    {
        bool isAdd = instruction.Keyword == "ADD";
        var words = instruction.Json?.ToList() ?? Words.Split(text);
        if (words.Count < 2)
        {
            throw new DockerfileException(
                $"line {instruction.Line}: {instruction.Keyword} needs a source and a destination");
        }

        foreach (string flag in instruction.Flags.Keys.Where(f => f is not ("from" or "link")))
        {
            throw new DockerfileException($"line {instruction.Line}: {instruction.Keyword} --{flag} is not supported");
        }

        string root = instruction.Flags.TryGetValue("from", out string? from)
            ? await SourceRootAsync(from, stages, ct)
            : request.ContextDirectory;
        string workingDir = config["WorkingDir"]?.GetValue<string>() ?? "/";
        string destination = words[^1].StartsWith('/') ? words[^1] : workingDir.TrimEnd('/') + "/" + words[^1];
        var sources = words[..^1].SelectMany(s => Resolve(root, s, isAdd)).ToList();
        bool intoDirectory = destination.EndsWith('/') || words.Count > 2 || words[..^1].Any(IsPattern);

        string staging = Path.Combine(request.WorkDirectory, $"layer-{stageIndex}-{layerIndex}");
        string target = SafePath.Under(staging, SafePath.Normalize(destination));
        Directory.CreateDirectory(staging);
        foreach (string source in sources)
        {
            if (Directory.Exists(source) && new FileInfo(source).LinkTarget is null)
            {
                CopyDirectory(source, target);
            }
            else if (isAdd && new FileInfo(source).LinkTarget is null && ArchiveExtractor.LooksLikeArchive(source))
            {
                await using var archive = File.OpenRead(source);
                await ArchiveExtractor.ExtractAsync(archive, target, whiteouts: false, ct);
            }
            else
            {
                CopyEntry(source, intoDirectory || Directory.Exists(target)
                    ? Path.Combine(target, Path.GetFileName(source))
                    : target);
            }
        }

        return await WriteLayerAsync(staging, ct);
    }

    private async Task<LayerRef> WriteLayerAsync(string staging, CancellationToken ct)
    {
        var layer = await LayerWriter.WriteAsync(staging, staging + ".tar.gz", ct);
        Directory.Delete(staging, recursive: true);
        return new LayerRef(layer.Digest, layer.Size, LayerFile.MediaType, layer.DiffId, layer.Path);
    }

    /// <summary>The directory COPY --from reads: an earlier stage's or an image's file system, unpacked.</summary>
    private async Task<string> SourceRootAsync(string from, List<(string? Name, ImageState Image)> stages,
        CancellationToken ct)
    {
        ImageState? image = int.TryParse(from, out int number) && number >= 0 && number < stages.Count
            ? stages[number].Image
            : stages.LastOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase)).Image;
        if (image is null)
        {
            image = await bases.LoadAsync(request.Registry, request.OwnHosts, from, ct);
            if (image.Origin is { } origin)
            {
                request.CopySources.Add(origin);
            }
        }

        string root = Path.Combine(request.WorkDirectory, $"from-{stageIndex}-{layerIndex}");
        await bases.ExtractAsync(image, root, ct);
        return root;
    }

    private static IEnumerable<string> Resolve(string root, string source, bool isAdd)
    {
        if (isAdd && (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DockerfileException($"ADD {source}: Acre's builder fetches nothing from the network; " +
                "put the file in the build context");
        }

        string relative = SafePath.Normalize(source);
        if (!IsPattern(source))
        {
            string path = SafePath.Under(root, relative);
            return File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null
                ? [path]
                : throw new DockerfileException($"'{source}' is not in the build context");
        }

        // Followed to its end inside the root: listing a folder that is a link to /etc would read the host.
        string directory = SafePath.Under(root, Path.GetDirectoryName(relative) ?? "", followLast: true);
        string pattern = Path.GetFileName(relative);
        var matches = Directory.Exists(directory)
            ? Directory.EnumerateFileSystemEntries(directory, pattern).Order(StringComparer.Ordinal).ToList()
            : [];
        return matches.Count > 0 ? matches : throw new DockerfileException($"no file matches '{source}'");
    }

    private static bool IsPattern(string source) => source.IndexOfAny(['*', '?', '[']) >= 0;

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            string destination = Path.Combine(target, Path.GetFileName(entry));
            if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
            {
                CopyDirectory(entry, destination);
            }
            else
            {
                CopyEntry(entry, destination);
            }
        }
    }

    private static void CopyEntry(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var info = new FileInfo(source);
        if (info.LinkTarget is { } link)
        {
            File.CreateSymbolicLink(destination, link);
            return;
        }

        File.Copy(source, destination, overwrite: true);
        File.SetLastWriteTimeUtc(destination, info.LastWriteTimeUtc);
    }
}
