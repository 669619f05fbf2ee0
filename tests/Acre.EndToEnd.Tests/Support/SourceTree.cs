namespace Acre.EndToEnd.Tests.Support;

/// <summary>The repository these tests were built from, found by walking up from the test binaries.</summary>
public static class SourceTree
{
    /// <summary>The folder that holds <c>Acre.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A folder of this test project's sources, such as <c>js</c>.</summary>
    public static string TestsFolder(string name) => Path.Combine(Root, "tests", "Acre.EndToEnd.Tests", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null;
            directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Acre.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Acre.slnx above {AppContext.BaseDirectory}");
    }
}
