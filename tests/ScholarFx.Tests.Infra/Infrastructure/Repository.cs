using System.Reflection;

namespace ScholarFx.Tests.Infra.Infrastructure;

/// <summary>Files of the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The repository root (written into the assembly at build time).</summary>
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The Bicep CLI of the Azure.Bicep.CommandLine package (written into the assembly at build time).</summary>
    public static string BicepPath { get; } = Metadata("BicepPath");

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Assembly metadata {key} is missing; restore and build the infra test project.");
}
