using System.Text.Json.Nodes;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks.Building;
using Acre.Tasks.Runs;

namespace Acre.Management.Tasks;

/// <summary>
/// Keeps each task's <c>step.baseImageDependencies</c> as its last successful run found them: ACR Tasks learns a
/// task's base images by building it, and its base-image trigger watches exactly those.
/// </summary>
public sealed class TaskDependencyRecorder(IMetadataStore metadata, RegistryAddresses addresses, TimeProvider time)
    : ITaskRunObserver, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SucceededAsync(string registry, string task, IReadOnlyList<BaseImageDependency> dependencies,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var record = await metadata.GetChildAsync(registry, "tasks", task, ct);
            var body = record is null ? null : JsonNode.Parse(record.BodyJson) as JsonObject;
            if (body?["properties"]?["step"] is not JsonObject step)
            {
                return;
            }

            string loginServer = addresses.LoginServer(registry);
            step["baseImageDependencies"] = new JsonArray([.. dependencies.Select(d =>
                (JsonNode)new JsonObject
                {
                    ["type"] = d.Type,
                    ["registry"] = loginServer,
                    ["repository"] = d.Repository,
                    ["tag"] = d.Tag,
                    ["digest"] = d.Digest,
                })]);
            await metadata.PutChildAsync(record! with { BodyJson = body.ToJsonString(), Updated = time.GetUtcNow() },
                ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
