using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddScholarFx();
builder.Services.AddScholarFxTelemetry(builder.Configuration);
builder.Build().Run();
