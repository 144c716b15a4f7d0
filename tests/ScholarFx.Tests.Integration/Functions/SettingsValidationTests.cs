using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Functions;

/// <summary>A bad setting stops the app at start, naming the setting, instead of failing later in a file or a request.</summary>
public sealed class SettingsValidationTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("Ingest:BatchSize", "0", "BatchSize")]
    [InlineData("Ingest:LeaseSeconds", "1", "LeaseSeconds")]
    [InlineData("Ingest:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Profiles:MaxPageSize", "0", "MaxPageSize")]
    [InlineData("Api:CacheSeconds", "-5", "CacheSeconds")]
    [InlineData("Sources:Trusted", "harvest/openalex; lab a", "Trusted")]
    [InlineData("Sources:ApiUploader", "uploads/api", "ApiUploader")]
    [InlineData("AiScore:MaxConcurrentCalls", "0", "MaxConcurrentCalls")]
    [InlineData("Scoring:PioneerMinimumLater", "0", "PioneerMinimumLater")]
    [InlineData("Harvest:Arxiv:MetadataPrefix", "oai_dc", "MetadataPrefix")]
    [InlineData("Harvest:Arxiv:From", "last year", "From")]
    [InlineData("Harvest:Arxiv:Endpoint", "oaipmh.arxiv.org/oai", "Endpoint")]
    [InlineData("Harvest:OpenAlex:PerPage", "500", "PerPage")]
    [InlineData("Harvest:OpenAlex:Schedule", "daily", "Schedule")]
    [InlineData("Harvest:MaxAttempts", "0", "MaxAttempts")]
    public async Task ABadSetting_StopsTheAppAtStart_WithItsName(string key, string value, string member)
    {
        using var host = fixture.BuildHost(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(member, error.Message, StringComparison.Ordinal);
    }
}
