using Acre.Tasks.Dockerfiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Acre.Tasks.Steps;

/// <summary>A task's values file: a YAML mapping of names to strings, read as <c>{{.Values.name}}</c>.</summary>
public static class ValuesFile
{
    public static Dictionary<string, string> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new DockerfileException($"the values file is not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        return stream.Documents[0].RootNode is YamlMappingNode map
            ? map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "",
                c => (c.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
            : throw new DockerfileException("the values file must be a YAML mapping");
    }
}
