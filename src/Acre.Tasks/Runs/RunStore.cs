using System.Text.Json.Nodes;
using Acre.Storage;

namespace Acre.Tasks.Runs;

/// <summary>
/// Runs, kept as children of their registry (kind <c>runs</c>): <c>{"properties": …, "request": …}</c>, the
/// ARM properties and the request that scheduled the run. Ids follow ACR's <c>ca1</c>, <c>ca2</c>, ….
/// </summary>
public sealed class RunStore(IMetadataStore metadata, TimeProvider time) : IDisposable
{
    public const string Kind = "runs";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string> CreateAsync(string registry, JsonObject properties, JsonObject request,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var existing = await metadata.ListChildrenAsync(registry, Kind, ct);
            var names = existing.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            int number = existing.Count + 1;
            while (names.Contains($"ca{number}"))
            {
                number++;
            }

            string runId = $"ca{number}";
            var now = time.GetUtcNow();
            properties["runId"] = runId;
            properties["status"] = RunStatus.Queued;
            properties["createTime"] = Stamp(now);
            properties["lastUpdatedTime"] = Stamp(now);
            properties["provisioningState"] = "Succeeded";
            var body = new JsonObject { ["properties"] = properties, ["request"] = request };
            await metadata.PutChildAsync(new ChildRecord(registry, Kind, runId, body.ToJsonString(), now, now), ct);
            return runId;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JsonObject?> GetAsync(string registry, string runId, CancellationToken ct) =>
        await metadata.GetChildAsync(registry, Kind, runId, ct) is { } record
            ? JsonNode.Parse(record.BodyJson)!.AsObject()
            : null;

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string registry, CancellationToken ct) =>
        [.. (await metadata.ListChildrenAsync(registry, Kind, ct)).Select(r => JsonNode.Parse(r.BodyJson)!.AsObject())];

    /// <summary>Changes a run's properties under the store's lock; null when there is no such run.</summary>
    public async Task<JsonObject?> UpdateAsync(string registry, string runId, Action<JsonObject> change,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var record = await metadata.GetChildAsync(registry, Kind, runId, ct);
            if (record is null)
            {
                return null;
            }

            var body = JsonNode.Parse(record.BodyJson)!.AsObject();
            var properties = body["properties"]!.AsObject();
            change(properties);
            var now = time.GetUtcNow();
            properties["lastUpdatedTime"] = Stamp(now);
            await metadata.PutChildAsync(record with { BodyJson = body.ToJsonString(), Updated = now }, ct);
            return body;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
}
