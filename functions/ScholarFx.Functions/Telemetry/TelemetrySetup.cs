using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScholarFx.Core;

namespace ScholarFx.Functions.Telemetry;

/// <summary>
/// Traces and metrics of the worker through OpenTelemetry: each invocation (the Functions worker's own activities),
/// the service's operations and counts (<see cref="ScholarFxTelemetry"/>: ingest, settle, rescore shards) and its
/// outgoing calls to storage and Azure OpenAI (the Azure SDK's activities). With
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set they go to Application Insights, with an Entra ID token of the
/// app's identity (the resource takes no instrumentation-key writes); without it, nothing is exported.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The Azure SDK's activity sources (storage, Azure OpenAI), exported as dependency calls.</summary>
    public const string AzureSdkSources = "Azure.*";

    /// <summary>Registers OpenTelemetry on the worker's services.</summary>
    public static IOpenTelemetryBuilder AddScholarFxTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // The Azure SDK emits activities only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        IOpenTelemetryBuilder builder = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(ScholarFxTelemetry.Name, AzureSdkSources))
            .WithMetrics(metrics => metrics.AddMeter(ScholarFxTelemetry.Name));
        if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            builder.UseAzureMonitorExporter(options => options.Credential = new DefaultAzureCredential());
        }

        return builder;
    }
}
