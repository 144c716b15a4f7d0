using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core;
using ScholarFx.Functions.Http;
using ScholarFx.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpEnvelopeMiddleware>();
builder.AddScholarFx();
builder.Services.AddScholarFxTelemetry(builder.Configuration);
builder.Build().Run();
