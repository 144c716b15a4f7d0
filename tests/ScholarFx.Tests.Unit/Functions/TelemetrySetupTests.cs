using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ScholarFx.Core;
using ScholarFx.Functions.Telemetry;

namespace ScholarFx.Tests.Unit.Functions;

public sealed class TelemetrySetupTests
{
    [Fact]
    public void TheServicesOperations_AreTraced()
    {
        var exported = new List<Activity>();
        var services = new ServiceCollection();
        services.AddScholarFxTelemetry(new ConfigurationBuilder().Build()).WithTracing(t => t.AddInMemoryExporter(exported));
        using var provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<TracerProvider>();

        using (ScholarFxTelemetry.Source.StartActivity("ingest"))
        {
        }

        tracer.ForceFlush();
        Assert.Contains(exported, a => a.Source.Name == ScholarFxTelemetry.Name && a.DisplayName == "ingest");
    }

    [Fact]
    public void WithAConnectionString_TheAzureMonitorExporterIsAdded()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:1/",
        }).Build();

        services.AddScholarFxTelemetry(configuration);

        Assert.Contains(services, d => d.ServiceType.FullName?.Contains("AzureMonitor", StringComparison.Ordinal) == true
            || d.ImplementationType?.FullName?.Contains("AzureMonitor", StringComparison.Ordinal) == true
            || d.ImplementationFactory?.Method.DeclaringType?.FullName?.Contains("AzureMonitor", StringComparison.Ordinal) == true);
    }
}
