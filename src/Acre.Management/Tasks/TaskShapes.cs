using Acre.Management.Arm;
using static Acre.Management.Arm.JsonShape;

namespace Acre.Management.Tasks;

/// <summary>
/// The shapes of the Tasks spec's request bodies (containerregistry_build.json). A step or a run request is one of
/// several subtypes whose properties never clash, so one shape holds them all.
/// </summary>
public static class TaskShapes
{
    private static readonly JsonShape Argument = ObjectOf(("name", Text), ("value", Text), ("isSecret", Flag));

    private static readonly JsonShape Platform =
        ObjectOf(("os", Text), ("architecture", Text), ("variant", Text));

    private static readonly JsonShape Agent = ObjectOf(("cpu", WholeNumber));

    private static readonly JsonShape Secret = ObjectOf(("value", Text), ("type", OneOf("Opaque", "Vaultsecret")));

    private static readonly JsonShape Credentials = ObjectOf(
        ("sourceRegistry", ObjectOf(("identity", Text), ("loginMode", OneOf("None", "Default")))),
        ("customRegistries", MapOf(ObjectOf(("userName", Secret), ("password", Secret), ("identity", Text)))));

    private static readonly JsonShape Status = OneOf("Disabled", "Enabled");

    private static readonly JsonShape Triggers = ObjectOf(
        ("timerTriggers", ArrayOf(ObjectOf(("schedule", Text), ("status", Status), ("name", Text)))),
        ("sourceTriggers", ArrayOf(ObjectOf(
            ("sourceRepository", ObjectOf(("sourceControlType", Text), ("repositoryUrl", Text), ("branch", Text),
                ("sourceControlAuthProperties", ObjectOf(("tokenType", Text), ("token", Text),
                    ("refreshToken", Text), ("scope", Text), ("expiresIn", WholeNumber))))),
            ("sourceTriggerEvents", ArrayOf(Text)), ("status", Status), ("name", Text)))),
        ("baseImageTrigger", ObjectOf(("baseImageTriggerType", OneOf("All", "Runtime")),
            ("updateTriggerEndpoint", Text), ("updateTriggerPayloadType", OneOf("Default", "Token")),
            ("status", Status), ("name", Text))));

    /// <summary>What the Docker, file and encoded steps and run requests share beyond their base.</summary>
    private static readonly (string, JsonShape)[] StepContent =
    [
        ("imageNames", ArrayOf(Text)), ("isPushEnabled", Flag), ("noCache", Flag), ("dockerFilePath", Text),
        ("target", Text), ("arguments", ArrayOf(Argument)),
        ("taskFilePath", Text), ("valuesFilePath", Text), ("values", ArrayOf(Argument)),
        ("encodedTaskContent", Text), ("encodedValuesContent", Text),
    ];

    /// <summary>A run request of scheduleRun or of a task run, of any of its types.</summary>
    public static JsonShape RunRequest { get; } = ObjectOf(
            ("type", Text), ("isArchiveEnabled", Flag), ("agentPoolName", Text), ("logTemplate", Text),
            ("timeout", WholeNumber), ("platform", Platform), ("agentConfiguration", Agent), ("sourceLocation", Text),
            ("credentials", Credentials), ("taskId", Text),
            ("overrideTaskStepProperties", ObjectOf(("contextPath", Text), ("file", Text),
                ("arguments", ArrayOf(Argument)), ("target", Text), ("values", ArrayOf(Argument)),
                ("updateTriggerToken", Text))))
        .With(StepContent);

    /// <summary>A task's properties, of a PUT or a PATCH.</summary>
    public static JsonShape Task { get; } = ObjectOf(
        ("status", Status), ("platform", Platform), ("agentConfiguration", Agent), ("agentPoolName", Text),
        ("timeout", WholeNumber), ("trigger", Triggers), ("credentials", Credentials), ("logTemplate", Text),
        ("isSystemTask", Flag),
        ("step", ObjectOf(("type", OneOf("Docker", "FileTask", "EncodedTask")), ("contextPath", Text),
            ("contextAccessToken", Text)).With(StepContent)));

    public static JsonShape TaskRun { get; } = ObjectOf(("runRequest", RunRequest), ("forceUpdateTag", Text));

    public static JsonShape AgentPool { get; } = ObjectOf(
        ("count", WholeNumber), ("tier", Text), ("os", Text), ("virtualNetworkSubnetResourceId", Text));
}
