using System.Text.RegularExpressions;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>infra/ builds and lints offline with the Bicep CLI from NuGet, warnings counting as errors.</summary>
public sealed partial class BicepValidationTests
{
    [Fact]
    public async Task MainBicep_BuildsToAnArmTemplateWithoutDiagnostics()
    {
        var infra = await CompiledInfra.GetAsync();

        Assert.Equal(0, infra.Build.ExitCode);
        Assert.Equal("", infra.Build.Diagnostics);
        Assert.Contains("subscriptionDeploymentTemplate.json", infra.Main.Json.GetProperty("$schema").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainBicep_LintsWithoutAWarning()
    {
        var infra = await CompiledInfra.GetAsync();

        Assert.Equal("", infra.Lint.Diagnostics);
        Assert.Equal(0, infra.Lint.ExitCode);
    }

    [Fact]
    public async Task Lint_FailsOnALinterWarning_UnderTheProjectsBicepConfig()
    {
        var folder = Directory.CreateTempSubdirectory("scholarfx-bicep-");
        try
        {
            File.Copy(Repository.PathOf("infra/bicepconfig.json"), Path.Combine(folder.FullName, "bicepconfig.json"));
            var file = Path.Combine(folder.FullName, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n");

            var lint = await BicepCli.RunAsync("lint", file);

            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("Error no-unused-params", lint.Diagnostics, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Modules_AreLocalFilesUnderInfraApp()
    {
        var infra = Repository.PathOf("infra");
        var references = Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => ModuleReference().Matches(File.ReadAllText(file)).Select(m => (File: file, Path: m.Groups[1].Value)))
            .ToList();

        Assert.True(references.Count >= 6, $"main.bicep composes its modules; found {references.Count}");
        Assert.All(references, reference =>
        {
            Assert.DoesNotMatch("^(br|ts)[:/]", reference.Path);
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(reference.File)!, reference.Path));
            Assert.True(File.Exists(resolved), $"{reference.Path} (from {reference.File}) does not exist");
            Assert.StartsWith(Path.Combine(infra, "app") + Path.DirectorySeparatorChar, resolved, StringComparison.Ordinal);
        });
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}
