using Acre.Management.Arm;
using Acre.Management.Registries;
using Acre.Storage;

namespace Acre.Management.Children;

/// <summary>What child kinds need: the stores, the registry service and the clock.</summary>
public sealed class ChildContext(ArmContext arm, RegistryService registries)
{
    public ArmContext Arm => arm;

    public IMetadataStore Metadata => arm.Metadata;

    public RegistryService Registries => registries;

    public DateTimeOffset Now => arm.Time.GetUtcNow();

    public string RegistryId(RegistryRecord registry) => RegistryDocument.IdOf(registry);

    public async Task<int> CountAsync(RegistryRecord registry, string kind) =>
        (await Metadata.ListChildrenAsync(registry.Name, kind, CancellationToken.None)).Count;
}
