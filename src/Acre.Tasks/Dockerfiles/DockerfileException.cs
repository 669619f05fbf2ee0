namespace Acre.Tasks.Dockerfiles;

/// <summary>A Dockerfile the builder cannot build, with the reason in words fit for the run's log.</summary>
public sealed class DockerfileException(string message) : Exception(message);
