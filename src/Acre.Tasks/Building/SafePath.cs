namespace Acre.Tasks.Building;

/// <summary>Joins a relative path (from an archive, a Dockerfile, a request) to a root it may not escape.</summary>
public static class SafePath
{
    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or an exception.</summary>
    public static string Under(string root, string relative)
    {
        string cleaned = Normalize(relative);
        string full = Path.GetFullPath(Path.Combine(root, cleaned));
        string rootFull = Path.GetFullPath(root).TrimEnd('/');
        if (full != rootFull && !full.StartsWith(rootFull + "/", StringComparison.Ordinal))
        {
            throw new Dockerfiles.DockerfileException($"the path '{relative}' leaves the build context");
        }

        return full;
    }

    /// <summary>A relative path without leading slashes or '.' segments; '..' segments are refused.</summary>
    public static string Normalize(string path)
    {
        var segments = new List<string>();
        foreach (string segment in path.Replace('\\', '/').Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new Dockerfiles.DockerfileException($"the path '{path}' leaves the build context");
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }
}
