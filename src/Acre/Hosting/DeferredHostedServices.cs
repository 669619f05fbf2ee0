namespace Acre.Hosting;

/// <summary>
/// Starts Acre's background services (run queue, triggers, webhook delivery, collection) only once Kestrel has
/// bound its ports. The host starts hosted services in order and its web server last, so without this a start
/// that fails on a busy port would already have queued runs and fired triggers.
/// </summary>
public sealed class DeferredHostedServices(IReadOnlyList<IHostedService> services, Action whenBound)
    : IHostedLifecycleService
{
    private readonly List<IHostedService> _started = [];

    /// <summary>Moves every hosted service registered so far behind one that starts them after the server, once
    /// <paramref name="whenBound"/> has read what the server bound.</summary>
    public static void Defer(IServiceCollection services, Action<IServiceProvider> whenBound)
    {
        var deferred = services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService).ToList();
        foreach (var descriptor in deferred)
        {
            services.Remove(descriptor);
        }

        services.AddHostedService(provider => new DeferredHostedServices(
            [.. deferred.Select(descriptor => Create(provider, descriptor))], () => whenBound(provider)));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called by the host after every hosted service, Kestrel included, has started.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        whenBound();
        foreach (var service in services)
        {
            await service.StartAsync(cancellationToken);
            _started.Add(service);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (int i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(cancellationToken);
        }

        _started.Clear();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IHostedService Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        (IHostedService)(descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(provider) ??
            ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
}
