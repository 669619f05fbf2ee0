using System.Globalization;
using System.Text.Json.Nodes;
using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;
using Acre.Tasks;
using Acre.Tasks.Blobs;
using Acre.Tasks.Runs;
using Microsoft.AspNetCore.Http;

namespace Acre.Management.Tasks;

/// <summary>
/// The Tasks operations on runs: the source upload URL, scheduleRun, runs get/list/update/cancel and their log
/// URL, which point at the blob host of <see cref="BlobEndpoints"/>.
/// </summary>
public sealed class RunEndpoints(RegistryService registries, IMetadataStore metadata, TasksOptions options,
    BlobSignatures signatures, RunStore runs, RunQueue queue, RunScheduler scheduler)
{
    private const string Runs = RegistryEndpoints.Registry + "/runs";
    private const string Run = Runs + "/{runId}";
    private const int MaxTop = 1000;
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(1);

    public void Map(RouteGroup arm)
    {
        arm.Post(RegistryEndpoints.Registry + "/listBuildSourceUploadUrl", (string subscriptionId,
            string resourceGroupName, string registryName, CancellationToken ct) => WithRegistryAsync(subscriptionId,
                resourceGroupName, registryName, ct, r => Task.FromResult(SourceUploadUrl(r))));
        arm.Post(RegistryEndpoints.Registry + "/scheduleRun", (HttpContext http, string subscriptionId,
            string resourceGroupName, string registryName, CancellationToken ct) => WithRegistryAsync(subscriptionId,
                resourceGroupName, registryName, ct, r => ScheduleAsync(http, r, ct)));
        arm.Get(Runs, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            CancellationToken ct) => WithRegistryAsync(subscriptionId, resourceGroupName, registryName, ct,
                r => ListAsync(http, r, ct)));
        arm.Get(Run, (string subscriptionId, string resourceGroupName, string registryName, string runId,
            CancellationToken ct) => WithRunAsync(subscriptionId, resourceGroupName, registryName, runId, ct,
                (r, body) => Task.FromResult(Results.Json(RunScheduler.Document(r, body)))));
        arm.Patch(Run, (HttpContext http, string subscriptionId, string resourceGroupName, string registryName,
            string runId, CancellationToken ct) => WithRunAsync(subscriptionId, resourceGroupName, registryName,
                runId, ct, (r, _) => UpdateAsync(http, r, runId, ct)));
        arm.Post(Run + "/cancel", (string subscriptionId, string resourceGroupName, string registryName,
            string runId, CancellationToken ct) => WithRunAsync(subscriptionId, resourceGroupName, registryName,
                runId, ct, async (r, _) =>
                {
                    await queue.CancelAsync(r.Name, runId, ct);
                    return Results.Ok();
                }));
        arm.Post(RegistryEndpoints.Registry + "/agentPools/{agentPoolName}/listQueueStatus", (string subscriptionId,
            string resourceGroupName, string registryName, string agentPoolName, CancellationToken ct) =>
            WithRegistryAsync(subscriptionId, resourceGroupName, registryName, ct, r => QueueStatusAsync(r,
                agentPoolName, ct)));
        arm.Post(Run + "/listLogSasUrl", (string subscriptionId, string resourceGroupName, string registryName,
            string runId, CancellationToken ct) => WithRunAsync(subscriptionId, resourceGroupName, registryName,
                runId, ct, (r, _) => Task.FromResult(LogUrl(r, runId))));
    }

    private IResult SourceUploadUrl(RegistryRecord registry)
    {
        string path = $"source/{registry.Name}/{Guid.NewGuid():N}.tar.gz";
        return Results.Json(new
        {
            uploadUrl = $"{options.BlobEndpoint}/{path}?{signatures.Sign(path, "cw", UrlLifetime)}",
            relativePath = path,
        });
    }

    /// <summary>
    /// How many runs wait for the pool: those still Queued that name it. Acre's runs share one bounded set of
    /// workers, so a run of the pool waits while every worker is busy, whatever pool the busy runs name.
    /// </summary>
    private async Task<IResult> QueueStatusAsync(RegistryRecord registry, string pool, CancellationToken ct)
    {
        if (await metadata.GetChildAsync(registry.Name, "agentPools", pool, ct) is null)
        {
            return ArmError.NotFound("Microsoft.ContainerRegistry/registries/agentPools", pool, registry.ResourceGroup);
        }

        int count = (await runs.ListAsync(registry.Name, ct)).Count(b =>
            b["properties"]?["status"]?.GetValue<string>() == RunStatus.Queued &&
            string.Equals(b["properties"]?["agentPoolName"]?.GetValue<string>(), pool,
                StringComparison.OrdinalIgnoreCase));
        return Results.Json(new { count });
    }

    private IResult LogUrl(RegistryRecord registry, string runId)
    {
        string path = $"logs/{registry.Name}/{runId}.log";
        string query = signatures.Sign(path, "r", UrlLifetime);
        return Results.Json(new { logLink = $"{options.BlobEndpoint}/{path}?{query}" });
    }

    private async Task<IResult> ScheduleAsync(HttpContext http, RegistryRecord registry, CancellationToken ct)
    {
        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        var (run, refused) = await scheduler.ScheduleAsync(registry, body, ct);
        return run is null ? refused! : Results.Json(run);
    }

    private async Task<IResult> ListAsync(HttpContext http, RegistryRecord registry, CancellationToken ct)
    {
        var filter = RunFilter.Parse(http.Request.Query["$filter"], out string? invalid);
        if (filter is null)
        {
            return ArmError.Invalid("InvalidFilter", invalid!);
        }

        int top = int.TryParse(http.Request.Query["$top"], NumberStyles.None, CultureInfo.InvariantCulture,
            out int asked) ? Math.Clamp(asked, 1, MaxTop) : MaxTop;
        var listed = (await runs.ListAsync(registry.Name, ct))
            .Where(b => filter.Matches(b["properties"]!.AsObject()))
            .OrderByDescending(b => b["properties"]!["createTime"]?.GetValue<string>(), StringComparer.Ordinal)
            .Take(top)
            .Select(b => RunScheduler.Document(registry, b));
        return Results.Json(new { value = listed });
    }

    private async Task<IResult> UpdateAsync(HttpContext http, RegistryRecord registry, string runId,
        CancellationToken ct)
    {
        var (body, error) = await ArmBody.ReadAsync(http);
        if (body is null)
        {
            return error!;
        }

        if (body.ContainsKey("isArchiveEnabled") && ArmBody.Flag(body["isArchiveEnabled"]) is null)
        {
            return ArmError.InvalidBody("'isArchiveEnabled' must be true or false.");
        }

        var updated = await runs.UpdateAsync(registry.Name, runId, p =>
        {
            if (ArmBody.Flag(body["isArchiveEnabled"]) is { } archive)
            {
                p["isArchiveEnabled"] = archive;
            }
        }, ct);
        return Results.Json(RunScheduler.Document(registry, updated!));
    }

    private Task<IResult> WithRegistryAsync(string subscriptionId, string group, string name, CancellationToken ct,
        Func<RegistryRecord, Task<IResult>> action) =>
        RegistryEndpoints.WithRegistryAsync(registries, subscriptionId, group, name, ct, action);

    private Task<IResult> WithRunAsync(string subscriptionId, string group, string name, string runId,
        CancellationToken ct, Func<RegistryRecord, JsonObject, Task<IResult>> action) =>
        WithRegistryAsync(subscriptionId, group, name, ct, async registry =>
            await runs.GetAsync(registry.Name, runId, ct) is { } body
                ? await action(registry, body)
                : ArmError.NotFound("Microsoft.ContainerRegistry/registries/runs", runId, group));
}
