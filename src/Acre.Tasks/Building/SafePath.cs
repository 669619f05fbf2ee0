namespace Acre.Tasks.Building;

/// <summary>Joins a relative path (from an archive, a Dockerfile, a request) to a root it may not escape.</summary>
/// <remarks>
/// Symbolic links already under the root are followed the way a container's file system follows them: an absolute
/// target counts from the root and <c>..</c> stops at the root. A link to <c>/etc</c> in an image or a context
/// therefore leads to the root's <c>etc</c>, never to the host's.
/// </remarks>
public static class SafePath
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The full path of <paramref name="relative"/> under <paramref name="root"/>, links on the way followed
    /// inside the root; the last segment is followed too only when <paramref name="followLast"/> is set (to read a
    /// file, rather than to replace an entry).
    /// </summary>
    public static string Under(string root, string relative, bool followLast = false)
    {
        string rootFull = Path.GetFullPath(root).TrimEnd('/');
        var pending = new List<string>(Normalize(relative).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            string segment = pending[0];
            pending.RemoveAt(0);
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            string current = Join(rootFull, resolved, segment);
            if ((pending.Count > 0 || followLast) && new FileInfo(current).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new Dockerfiles.DockerfileException($"the path '{relative}' has too many symbolic links");
                }

                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                pending.InsertRange(0, target.Split('/', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            resolved.Add(segment);
        }

        return Join(rootFull, resolved, null);
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

    private static string Join(string root, List<string> segments, string? last)
    {
        string joined = segments.Count == 0 ? root : root + "/" + string.Join('/', segments);
        return last is null ? joined : joined + "/" + last;
    }
}
