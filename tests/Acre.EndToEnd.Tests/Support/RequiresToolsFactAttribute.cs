namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// A test that drives real clients. Where one is missing it is skipped on a developer's machine, but never
/// under CI (<c>CI=true</c>), where <c>.ci/run</c> installs every tool and a missing one is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    /// <summary>Not a tool: the test needs root (a private mount namespace, say).</summary>
    public const string Root = "root";

    public RequiresToolsFactAttribute(params string[] tools)
    {
        string[] missing = [.. tools.Where(t => t == Root ? Environment.UserName != "root" : !Tool.IsInstalled(t))];
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (missing.Length > 0 && !ci)
        {
            Skip = $"needs {string.Join(", ", missing)} (install them, or run .ci/run)";
        }
    }
}
