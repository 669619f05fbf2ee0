namespace Acre.Hosting;

/// <summary>
/// A start-up failure that the user can fix (a busy port, a data directory in use): Acre prints its message as one
/// line, with no stack trace, and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class StartupException(string message) : Exception(message)
{
    public const int ExitCode = 1;
}
