namespace Acre.Tasks.Dockerfiles;

/// <summary>
/// One Dockerfile instruction: its keyword (upper case), its <c>--flag=value</c> options, and its arguments,
/// either the JSON (exec) form's strings or the shell form's text.
/// </summary>
public sealed record Instruction(
    string Keyword, IReadOnlyDictionary<string, string> Flags, string Text, IReadOnlyList<string>? Json, int Line)
{
    /// <summary>The instruction as the build log and the image history show it.</summary>
    public string Original { get; init; } = "";

    public bool IsJsonForm => Json is not null;
}
