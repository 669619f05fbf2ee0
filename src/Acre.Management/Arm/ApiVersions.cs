namespace Acre.Management.Arm;

/// <summary>The api-versions each part of the management plane accepts, published in the provider's resource
/// types.</summary>
public static class ApiVersions
{
    /// <summary>Microsoft.ContainerRegistry: the stable versions from 2019-05-01 on and the previews clients
    /// send.</summary>
    public static readonly IReadOnlyList<string> ContainerRegistry =
    [
        "2025-11-01", "2025-06-01-preview", "2025-05-01-preview", "2025-04-01", "2025-03-01-preview",
        "2024-11-01-preview", "2023-11-01-preview", "2023-08-01-preview", "2023-07-01", "2023-06-01-preview",
        "2023-01-01-preview", "2022-12-01", "2022-02-01-preview", "2021-12-01-preview", "2021-09-01",
        "2021-08-01-preview", "2021-06-01-preview", "2020-11-01-preview", "2019-12-01-preview", "2019-06-01-preview",
        "2019-05-01",
    ];

    /// <summary>Microsoft.Resources and the subscription routes, as the CLI and SDKs of the last years call
    /// them.</summary>
    public static readonly IReadOnlyList<string> Resources =
    [
        "2025-04-01", "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-12-01",
        "2022-09-01", "2022-01-01", "2021-04-01", "2021-01-01", "2020-10-01", "2020-08-01", "2020-06-01",
        "2020-01-01", "2019-11-01", "2019-10-01", "2019-08-01", "2019-07-01", "2019-06-01", "2019-05-10",
        "2019-05-01", "2019-03-01", "2018-05-01", "2018-02-01", "2017-05-10", "2016-09-01", "2016-06-01",
        "2016-02-01", "2015-11-01", "2015-01-01", "2014-04-01",
    ];

    public static bool IsKnown(IReadOnlyList<string> versions, string? version) =>
        version is not null && versions.Contains(version, StringComparer.OrdinalIgnoreCase);
}
