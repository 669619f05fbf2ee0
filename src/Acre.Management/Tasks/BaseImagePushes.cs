using System.Threading.Channels;
using Acre.Content;

namespace Acre.Management.Tasks;

/// <summary>
/// The pushes of tags waiting for <see cref="BaseImageTriggers"/>. Apart from it because runs push too: the
/// triggers queue runs, and the runs' pushes come back here.
/// </summary>
public sealed class BaseImagePushes : IRegistryEventSink
{
    private readonly Channel<RegistryEvent> _pushes = Channel.CreateBounded<RegistryEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public ChannelReader<RegistryEvent> Reader => _pushes.Reader;

    public void Publish(RegistryEvent registryEvent)
    {
        if (registryEvent.Action == RegistryEvent.Push && registryEvent.Tag is not null)
        {
            _pushes.Writer.TryWrite(registryEvent);
        }
    }
}
