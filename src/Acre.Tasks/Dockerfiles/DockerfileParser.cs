using System.Text;
using System.Text.Json;

namespace Acre.Tasks.Dockerfiles;

/// <summary>
/// Splits a Dockerfile into instructions, following the Dockerfile reference
/// (https://docs.docker.com/reference/dockerfile/#format): comments, <c>\</c> line continuations, flags,
/// and the JSON or shell form of the arguments.
/// </summary>
public static class DockerfileParser
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The instructions that take <c>--flags</c>; for the others a leading <c>--</c> is an argument.</summary>
    private static readonly HashSet<string> FlagKeywords = ["FROM", "COPY", "ADD", "RUN", "HEALTHCHECK"];

    private static readonly HashSet<string> JsonFormKeywords =
        ["CMD", "ENTRYPOINT", "RUN", "COPY", "ADD", "SHELL", "VOLUME"];

    public static IReadOnlyList<Instruction> Parse(string text)
    {
        if (text.Length > MaxBytes)
        {
            throw new DockerfileException($"the Dockerfile is larger than {MaxBytes} bytes");
        }

        var instructions = new List<Instruction>();
        var current = new StringBuilder();
        int startLine = 0;
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (current.Length == 0)
            {
                startLine = i + 1;
            }

            string content = line.TrimEnd();
            if (content.EndsWith('\\'))
            {
                current.Append(content[..^1]);
                continue;
            }

            current.Append(content);
            instructions.Add(ParseOne(current.ToString().Trim(), startLine));
            current.Clear();
        }

        if (current.Length > 0)
        {
            instructions.Add(ParseOne(current.ToString().Trim(), startLine));
        }

        return instructions;
    }

    private static Instruction ParseOne(string text, int line)
    {
        int space = text.IndexOfAny([' ', '\t']);
        string keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        string rest = space < 0 ? "" : text[(space + 1)..].TrimStart();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (FlagKeywords.Contains(keyword) && rest.StartsWith("--", StringComparison.Ordinal))
        {
            int end = rest.IndexOfAny([' ', '\t']);
            string flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
            int equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "true" : flag[(equals + 1)..];
        }

        IReadOnlyList<string>? json = JsonFormKeywords.Contains(keyword) ? TryJsonArray(rest) : null;
        string original = space < 0 ? keyword : $"{keyword} {text[space..].Trim()}";
        return new Instruction(keyword, flags, rest, json, line) { Original = original };
    }

    /// <summary>The strings of a JSON array, or null when the text is not one (and so is the shell form).</summary>
    private static List<string>? TryJsonArray(string text)
    {
        if (!text.StartsWith('['))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
