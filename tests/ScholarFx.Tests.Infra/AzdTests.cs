using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using ScholarFx.Core.Storage;
using ScholarFx.Functions.Ingest;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>What `azd up` reads: azure.yaml, main.parameters.json, the outputs and the postdeploy hook.</summary>
public sealed partial class AzdTests
{
    private static readonly string AzureYaml = Repository.Read("azure.yaml");

    [Fact]
    public async Task MainParameters_SetOnlyDeclaredParameters_AndEveryRequiredOne()
    {
        var declared = (await CompiledInfra.GetAsync()).Main.Json.GetProperty("parameters");
        using var file = JsonDocument.Parse(Repository.Read("infra/main.parameters.json"));
        var set = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(set, name => Assert.True(declared.TryGetProperty(name, out _), $"main.parameters.json sets {name}, which main.bicep does not declare"));
        var required = declared.EnumerateObject().Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);
        Assert.All(required, name => Assert.Contains(name, set));
    }

    [Fact]
    public async Task AzureYaml_DeploysTheFunctionsProjectToTheAppTaggedWithItsServiceName()
    {
        var service = ServiceEntry().Match(AzureYaml);
        var functionApp = (await CompiledInfra.GetAsync()).Main.Module("function-app");

        Assert.True(service.Success, "azure.yaml declares no service");
        Assert.Equal("function", service.Groups["host"].Value);
        Assert.Equal("dotnet", service.Groups["language"].Value);
        Assert.True(File.Exists(Path.Combine(Repository.PathOf(service.Groups["project"].Value), "ScholarFx.Functions.csproj")));
        Assert.Equal(service.Groups["name"].Value, functionApp.ParameterValue("serviceName")!.GetValue<string>());
        Assert.Contains("'azd-service-name', parameters('serviceName')", functionApp.Resource("Microsoft.Web/sites").Body.GetProperty("tags").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outputs_NameTheEventGridTriggeredFunctionAndItsContainer()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var outputs = main.Json.GetProperty("outputs");
        var ingest = typeof(IngestFunction).GetMethod(nameof(IngestFunction.Ingest))!;
        var trigger = ingest.GetParameters().Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).Single(a => a is not null)!;

        Assert.Equal(BlobTriggerSource.EventGrid, trigger.Source);
        Assert.Equal(ingest.GetCustomAttribute<FunctionAttribute>()!.Name, main.Evaluate(outputs.GetProperty("INGEST_FUNCTION_NAME").GetProperty("value"))!.GetValue<string>());
        Assert.Equal(StorageNames.AbstractsContainer, main.Evaluate(outputs.GetProperty("ABSTRACTS_CONTAINER_NAME").GetProperty("value"))!.GetValue<string>());
        Assert.StartsWith($"{StorageNames.AbstractsContainer}/", trigger.BlobPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("posix", "infra/hooks/subscribe-ingest.sh")]
    [InlineData("windows", "infra/hooks/subscribe-ingest.ps1")]
    public async Task PostdeployHook_SubscribesIngestWithOnlyValuesTheDeploymentOutputs(string platform, string script)
    {
        var outputs = (await CompiledInfra.GetAsync()).Main.Json.GetProperty("outputs");
        var text = Repository.Read(script);

        Assert.Matches($@"postdeploy:[\s\S]*?{platform}:[\s\S]*?run: \./{Regex.Escape(script)}", AzureYaml);
        Assert.Contains("systemKeys.blobs_extension", text, StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", text, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Storage.BlobCreated", text, StringComparison.Ordinal);
        var variables = (platform == "windows" ? PowerShellEnvironmentVariable() : ShellEnvironmentVariable()).Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(variables);
        Assert.All(variables, name => Assert.True(outputs.TryGetProperty(name, out _), $"{script} reads {name}, which main.bicep does not output"));
    }

    [GeneratedRegex(@"^services:\s*\n\s+(?<name>[\w-]+):\s*\n\s+project: \./(?<project>\S+)\s*\n\s+language: (?<language>\w+)\s*\n\s+host: (?<host>\w+)", RegexOptions.Multiline)]
    private static partial Regex ServiceEntry();

    // Upper-case environment variables, what azd passes from its environment: $NAME or ${NAME} in sh, $env:NAME in PowerShell.
    [GeneratedRegex(@"\$\{?([A-Z][A-Z0-9_]{2,})")]
    private static partial Regex ShellEnvironmentVariable();

    [GeneratedRegex(@"\$env:([A-Z][A-Z0-9_]{2,})")]
    private static partial Regex PowerShellEnvironmentVariable();
}
