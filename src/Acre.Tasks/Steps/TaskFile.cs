using System.Text.RegularExpressions;
using Acre.Tasks.Dockerfiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Acre.Tasks.Steps;

/// <summary>
/// A step of a task file: <c>build</c>, <c>push</c> or <c>cmd</c>, with the properties Acre honours; its timeout in
/// seconds is its own <c>timeout</c>, else the file's <c>stepTimeout</c>, else 600.
/// </summary>
public sealed record TaskStep(string Id, string Kind, string Command, IReadOnlyList<string> Images,
    IReadOnlyList<string> Environment, bool IgnoreErrors, int Timeout = TaskFile.DefaultStepTimeout);

/// <summary>
/// ACR's multi-step task file
/// (https://learn.microsoft.com/azure/container-registry/container-registry-tasks-reference-yaml): the run
/// variables and values substituted into the text first, then the steps read from the YAML.
/// </summary>
public static partial class TaskFile
{
    /// <summary>acr-builder's step timeout when neither the step nor the file names one.</summary>
    public const int DefaultStepTimeout = 600;

    private static readonly HashSet<string> StepKeys =
        ["id", "build", "push", "cmd", "when", "env", "ignoreErrors", "timeout", "disableWorkingDirectoryOverride"];

    private static readonly HashSet<string> TopKeys = ["version", "steps", "stepTimeout"];

    /// <summary>Replaces <c>{{.Run.*}}</c>, <c>{{.Values.*}}</c> and the <c>$ID</c>-style aliases.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> run,
        IReadOnlyDictionary<string, string> values)
    {
        string result = TemplatePattern().Replace(text, match =>
        {
            var (scope, name) = (match.Groups[1].Value, match.Groups[2].Value);
            var source = scope == "Run" ? run : values;
            return source.TryGetValue(name, out string? value)
                ? value
                : throw new DockerfileException($"the task file names {{{{.{scope}.{name}}}}}, which has no value");
        });
        foreach (var (alias, name) in new[] { ("$RegistryName", "RegistryName"), ("$Registry", "Registry"),
            ("$ID", "ID"), ("$Date", "Date"), ("$OS", "OS"), ("$Architecture", "Architecture") })
        {
            result = result.Replace(alias, run[name], StringComparison.Ordinal);
        }

        return result;
    }

    public static IReadOnlyList<TaskStep> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new DockerfileException($"the task file is not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DockerfileException("the task file must be one YAML mapping with 'steps'");
        }

        foreach (string key in root.Children.Keys.Select(Scalar).Where(k => !TopKeys.Contains(k)))
        {
            throw new DockerfileException($"the task file property '{key}' is not supported by Acre");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) ||
            steps is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw new DockerfileException("the task file has no steps");
        }

        int stepTimeout = root.Children.TryGetValue(new YamlScalarNode("stepTimeout"), out var given)
            ? Seconds(given, "stepTimeout")
            : 0;
        return [.. list.Children.Select((node, index) => Step(node, index,
            stepTimeout > 0 ? stepTimeout : DefaultStepTimeout))];
    }

    private static TaskStep Step(YamlNode node, int index, int defaultTimeout)
    {
        if (node is not YamlMappingNode step)
        {
            throw new DockerfileException($"step {index + 1} is not a mapping");
        }

        var values = step.Children.ToDictionary(c => Scalar(c.Key), c => c.Value, StringComparer.Ordinal);
        foreach (string key in values.Keys.Where(k => !StepKeys.Contains(k)))
        {
            throw new DockerfileException($"step {index + 1}: the property '{key}' is not supported by Acre");
        }

        string[] kinds = [.. new[] { "build", "push", "cmd" }.Where(values.ContainsKey)];
        if (kinds.Length != 1)
        {
            throw new DockerfileException($"step {index + 1} must have exactly one of build, push or cmd");
        }

        string id = values.TryGetValue("id", out var given) ? Scalar(given) : $"acb_step_{index}";
        var target = values[kinds[0]];
        var images = kinds[0] == "push" ? Strings(target) : [];
        string command = kinds[0] == "push" ? "" : Scalar(target);
        var environment = values.TryGetValue("env", out var env) ? Strings(env) : [];
        bool ignoreErrors = values.TryGetValue("ignoreErrors", out var ignore) && Scalar(ignore) == "true";
        int timeout = values.TryGetValue("timeout", out var seconds)
            ? Seconds(seconds, $"step {index + 1}: timeout")
            : 0;
        return new TaskStep(id, kinds[0], command, images, environment, ignoreErrors,
            timeout > 0 ? timeout : defaultTimeout);
    }

    /// <summary>A timeout in whole seconds; as in acr-builder, zero or less means the default.</summary>
    private static int Seconds(YamlNode node, string name) =>
        int.TryParse(Scalar(node), System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out int seconds)
            ? seconds
            : throw new DockerfileException($"the task file's {name} must be a whole number of seconds");

    private static List<string> Strings(YamlNode node) => node switch
    {
        YamlSequenceNode sequence => [.. sequence.Children.Select(Scalar)],
        YamlScalarNode scalar => [scalar.Value ?? ""],
        _ => throw new DockerfileException("expected a string or a list of strings in the task file"),
    };

    private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw new DockerfileException("expected a string in the task file");

    [GeneratedRegex(@"\{\{\s*\.(Run|Values)\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex TemplatePattern();
}
