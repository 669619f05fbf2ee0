using Acre.Cli;

namespace Acre.Hosting;

/// <summary>
/// Keeps a second Acre off a data directory in use: an exclusive lock on <c>{data-dir}/acre.lock</c>, taken before
/// anything reads the store and held for the life of the process. The OS drops it when the process ends, however
/// it ends, so a <c>kill -9</c> leaves nothing that blocks the next start. <c>--in-memory</c> keeps its store in a
/// temporary folder of its own and takes no lock. The lock is advisory: it binds Acre processes only, and none when
/// .NET's file locking is turned off (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private const string LockFile = "acre.lock";

    /// <summary>The holder's pid, for the message a second process prints: .NET cannot read the locked file.</summary>
    private const string PidFile = "acre.pid";

    private readonly FileStream? _lock;
    private readonly string _directory;

    private DataDirectoryLock(string directory, FileStream? held)
    {
        _directory = directory;
        _lock = held;
    }

    /// <summary>Creates the data directory and locks it; a <see cref="StartupException"/> when another Acre holds
    /// it or it cannot be made.</summary>
    public static DataDirectoryLock Acquire(AcreOptions options)
    {
        string directory = options.FullDataDir;
        if (File.Exists(directory))
        {
            throw new StartupException($"The data directory {directory} is a file. Choose another with --data-dir.");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"The data directory {directory} cannot be created: {Reason(e)}. " +
                "Choose another with --data-dir.");
        }

        if (options.InMemory)
        {
            return new DataDirectoryLock(directory, null);
        }

        var held = Lock(directory);
        File.WriteAllText(Path.Combine(directory, PidFile), $"{Environment.ProcessId}\n");
        return new DataDirectoryLock(directory, held);
    }

    public void Dispose()
    {
        if (_lock is null)
        {
            return;
        }

        // The pid file goes, so that no script kills whoever gets the pid next; the lock file stays: deleting it
        // would let two processes lock two different files of the same name.
        try
        {
            File.Delete(Path.Combine(_directory, PidFile));
        }
        catch (IOException)
        {
            // Best effort: the next holder writes its own pid over it.
        }

        _lock.Dispose();
    }

    private static FileStream Lock(string directory)
    {
        string path = Path.Combine(directory, LockFile);
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix and a sharing mode on Windows; neither outlives the
            // process, and .NET opens files close-on-exec, so no child (buildah) inherits it.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldByAnother(e))
        {
            string holder = HolderPid(directory) is { } pid ? $" (pid {pid})" : "";
            throw new StartupException($"The data directory {directory} is in use by another Acre process{holder}. " +
                "Stop it, or give this one another --data-dir (or --in-memory).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"The data directory {directory} cannot be locked: {Reason(e)}.");
        }
    }

    /// <summary>EWOULDBLOCK from flock (Linux 11, macOS 35), or Windows' sharing and lock violations.</summary>
    private static bool IsHeldByAnother(IOException e) =>
        e.GetType() == typeof(IOException) && e.HResult is 11 or 35 or unchecked((int)0x80070020) or
            unchecked((int)0x80070021);

    private static int? HolderPid(string directory)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(directory, PidFile)).Trim(), out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => e.Message.TrimEnd('.'),
    };
}
