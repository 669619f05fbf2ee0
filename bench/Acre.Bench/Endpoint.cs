using System.Net.Http.Headers;
using System.Text;

namespace Acre.Bench;

/// <summary>
/// One server under test: a short key (used in repository names), a display name, where it listens, how it is
/// authenticated, and its process id (for memory).
/// </summary>
public sealed record Endpoint(string Key, string Name, Uri BaseUri, string Auth, int? Pid, HttpClient Http)
{
    public AuthenticationHeaderValue? Authorization { get; init; }

    public static Endpoint WithBasic(
        string key, string name, Uri baseUri, int? pid, HttpClient http, string user, string password)
    {
        string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        return new Endpoint(key, name, baseUri, $"Basic, admin user '{user}'", pid, http)
        {
            Authorization = new AuthenticationHeaderValue("Basic", token),
        };
    }

    public static Endpoint Anonymous(string key, string name, Uri baseUri, int? pid, HttpClient http) =>
        new(key, name, baseUri, "none", pid, http);
}
