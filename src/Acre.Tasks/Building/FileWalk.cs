using System.IO.Enumeration;

namespace Acre.Tasks.Building;

/// <summary>
/// Every entry under a folder, hidden ones included, without going into symbolic links: a link to a folder is
/// listed as the link it is, never walked (a link to /etc in a context or an image would otherwise walk the host's).
/// </summary>
public static class FileWalk
{
    public static IEnumerable<string> Paths(string root) =>
        new FileSystemEnumerable<string>(root, (ref FileSystemEntry entry) => entry.ToFullPath(), new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        })
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
}
