using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Acre.Content;

namespace Acre.Transfer;

/// <summary>
/// Pulls from one upstream registry the way Docker does: anonymous first, then the challenge's Basic credentials
/// or a bearer token fetched from its realm for the repository's pull scope.
/// </summary>
public sealed class UpstreamSession(HttpClient http, Uri root, UpstreamCredentials? credentials,
    Func<string, string?>? certificateProblem = null)
{
    private static readonly string[] ManifestTypes =
        [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly Dictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    public string LoginServer => root.Authority;

    public async Task<(byte[] Content, string MediaType)> GetManifestAsync(
        string repository, string reference, CancellationToken ct)
    {
        using var response = await SendAsync(repository, $"/v2/{repository}/manifests/{reference}", ManifestTypes, ct);
        if (response.Content.Headers.ContentLength > ManifestParser.MaxManifestBytes)
        {
            throw new UpstreamException(502,
                $"{LoginServer} answered a manifest over 4 MiB for {repository}:{reference}");
        }

        byte[] content;
        try
        {
            content = await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (Exception e) when (IsTransportFailure(e, ct))
        {
            throw UpstreamFailure.Of(e, LoginServer);
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest;
        return (content, mediaType);
    }

    /// <summary>A blob's body; the caller streams it and disposes the response.</summary>
    public Task<HttpResponseMessage> GetBlobAsync(string repository, Digest digest, CancellationToken ct) =>
        SendAsync(repository, $"/v2/{repository}/blobs/{digest}", [], ct);

    private async Task<HttpResponseMessage> SendAsync(
        string repository, string path, string[] accept, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, path));
            foreach (string type in accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            request.Headers.Authorization = _authorizations.GetValueOrDefault(repository);
            var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 &&
                    await AuthorizeAsync(repository, response.Headers.WwwAuthenticate, ct))
                {
                    continue;
                }

                string body = await response.Content.ReadAsStringAsync(ct);
                throw new UpstreamException((int)response.StatusCode,
                    $"{LoginServer} answered {(int)response.StatusCode} for {path}: {Truncate(body)}");
            }
        }

        throw new UpstreamException(401, $"{LoginServer} refused the credentials for {repository}");
    }

    private async Task<bool> AuthorizeAsync(
        string repository, HttpHeaderValueCollection<AuthenticationHeaderValue> challenges, CancellationToken ct)
    {
        var challenge = challenges.FirstOrDefault();
        if (challenge is null)
        {
            return false;
        }

        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials is null)
            {
                return false;
            }

            _authorizations[repository] = Basic(credentials);
            return true;
        }

        var parameters = Parameters(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out string? realm))
        {
            return false;
        }

        string query = $"?service={Uri.EscapeDataString(parameters.GetValueOrDefault("service") ?? "")}" +
            $"&scope={Uri.EscapeDataString($"repository:{repository}:pull")}";
        using var request = new HttpRequestMessage(HttpMethod.Get, realm + query);
        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamException((int)response.StatusCode,
                $"{LoginServer}'s token service answered {(int)response.StatusCode} for {repository}");
        }

        using var document = await ReadJsonAsync(response, ct);
        var root = document.RootElement;
        string? token = root.TryGetProperty("token", out var t) ? t.GetString()
            : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        _authorizations[repository] = new AuthenticationHeaderValue("Bearer", token);
        return true;
    }

    /// <summary>Sends to the upstream or its token service; a request that gets no answer is told in words.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (Exception e) when (IsTransportFailure(e, ct))
        {
            var target = request.RequestUri!;
            throw UpstreamFailure.Of(e, target.Authority, certificateProblem?.Invoke(target.IdnHost));
        }
    }

    private async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        }
        catch (JsonException)
        {
            throw new UpstreamException(502, $"{LoginServer}'s token service answered something that is not JSON");
        }
    }

    /// <summary>The network failed or timed out; a cancellation by the caller is no failure of the upstream.</summary>
    private static bool IsTransportFailure(Exception e, CancellationToken ct) =>
        e is HttpRequestException or HttpIOException ||
            (e is OperationCanceledException && !ct.IsCancellationRequested);

    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return result;
    }

    private static AuthenticationHeaderValue Basic(UpstreamCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}")));

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}
