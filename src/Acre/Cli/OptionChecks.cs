using System.CommandLine.Parsing;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acre.Management.Registries;
using Acre.Transfer;

namespace Acre.Cli;

/// <summary>
/// Checks of option values. The parser runs them on given values and on values from <c>ACRE_…</c> variables alike,
/// so a bad value is a usage error of one line naming the option or variable, never an exception at start-up.
/// </summary>
public static class OptionChecks
{
    /// <summary>PeriodicTimer's longest period, about 49 days, in whole seconds.</summary>
    public const int MaxIntervalSeconds = 4_294_967;

    private static readonly string[] LogLevels =
        ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    /// <summary>A check of one value: the problem with it (starting with the value, quoted), or null.</summary>
    public static Action<OptionResult> Check<T>(string variable, Func<T, string?> problem) => result =>
    {
        if (TryGetValue(result, out T value) && problem(value) is { } found)
        {
            result.AddError($"{NameOf(result, variable)} {found}.");
        }
    };

    /// <summary>A check of each value of a repeatable option.</summary>
    public static Action<OptionResult> CheckEach(string variable, Func<string, string?> problem) =>
        Check<string[]>(variable, values => values.Select(problem).FirstOrDefault(p => p is not null));

    public static string? Port(int port) =>
        port is < 0 or > 65535 ? $"'{port}' is not a port: use 1 to 65535, or 0 to pick a free one" : null;

    public static string? RegistryName(string name) => RegistryService.IsValidName(name.ToLowerInvariant())
        ? null
        : $"'{name}' is not a registry name: 5 to 50 letters and digits, as in ACR";

    public static string? LoginServerSuffix(string suffix) => IsDnsName(suffix.Trim('.'), maxLength: 200)
        ? null
        : $"'{suffix}' is not a domain name: dot-separated labels of letters, digits and hyphens";

    public static string? HostName(string host) => IsDnsName(host, maxLength: 253)
        ? null
        : $"'{host}' is not a host name: give the name alone, with no scheme, port or path";

    public static string? LogLevel(string level) => LogLevels.Contains(level, StringComparer.OrdinalIgnoreCase)
        ? null
        : $"'{level}' is not a log level: use {string.Join(", ", LogLevels)}";

    public static string? IntervalSeconds(int seconds) => seconds is < 1 or > MaxIntervalSeconds
        ? $"'{seconds}' is not an interval: use 1 to {MaxIntervalSeconds} seconds"
        : null;

    public static string? GraceSeconds(int seconds) =>
        seconds < 0 ? $"'{seconds}' is not a grace period: use 0 or more seconds" : null;

    public static string? ConcurrentRuns(int runs) =>
        runs < 1 ? $"'{runs}' is not a number of runs: use 1 or more" : null;

    public static string? AzureId(string id) => System.Guid.TryParseExact(id, "D", out _)
        ? null
        : $"'{id}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";

    public static string? NotEmpty(string value) => string.IsNullOrWhiteSpace(value) ? "'' must not be empty" : null;

    public static string? Folder(string path) =>
        string.IsNullOrWhiteSpace(path) || path.Contains('\0') ? $"'{path}' is not a folder" : null;

    public static string? CaFile(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0 ? null : $"'{path}' holds no PEM certificate";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return File.Exists(path) ? $"'{path}' is not a PEM file of certificates" : $"'{path}' does not exist";
        }
    }

    /// <summary>URI=VALUE; the value is a secret, so only the URI is ever shown.</summary>
    public static string? Secret(string pair)
    {
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        string uri = equals < 0 ? pair : pair[..equals];
        return equals > 0 && SecretResolver.VariableName(uri) is not null
            ? null
            : $"'{uri}' is not URI=VALUE with a Key Vault secret URI (https://VAULT.vault.azure.net/secrets/NAME)";
    }

    /// <summary>The value of a variable, or the reason it is none, for the options' defaults.</summary>
    public static T Parse<T>(ArgumentResult result, string variable, Func<string, T> parse, T fallback)
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } text)
        {
            return fallback;
        }

        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            result.AddError($"{variable} '{text}' is not {Expected<T>()}.");
            return fallback;
        }
    }

    /// <summary>true or false, and 1 or 0 as CI systems often set flags.</summary>
    public static bool Flag(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException(),
    };

    private static string Expected<T>() => typeof(T) == typeof(bool) ? "true, false, 1 or 0" : "a whole number";

    /// <summary>An option's value, false when it did not parse (the parser has said so already).</summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string NameOf(OptionResult result, string variable) =>
        result.Implicit ? variable : result.Option.Name;

    private static bool IsDnsName(string name, int maxLength) =>
        name.Length is > 0 and <= 253 && name.Length <= maxLength && !IPAddress.TryParse(name, out _) &&
        name.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' &&
            label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
