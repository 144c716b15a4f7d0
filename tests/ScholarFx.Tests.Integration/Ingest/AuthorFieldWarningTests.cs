using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.Ingest;

/// <summary>A paper is not lost for one bad author field: the field is dropped and the receipt warns, with the line.</summary>
public sealed class AuthorFieldWarningTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ARecordWithAnOrcidThatFailsItsCheck_IsStoredWithoutIt_AndTheReceiptWarnsWithItsLine()
    {
        var tag = TestPapers.Unique("orcid");
        var good = TestPapers.Paper("Kept alongside " + tag, [$"Good Author {tag}"], "2024-01-01");
        var mistyped = JsonSerializer.Serialize(new
        {
            title = "Mistyped ORCID " + tag,
            authors = new object[] { new { name = $"Typo Author {tag}", orcid = "0000-0002-1825-0098" }, $"Co Author {tag}" },
            categories = new[] { "cs.LG" },
            published = "2024-02-02",
            @abstract = "We study what happens when an identifier is mistyped.",
        });

        var receipt = await fixture.IngestAsync(await fixture.UploadAsync(tag + ".jsonl", TestPapers.Lines(good, mistyped)));

        Assert.Equal((ReceiptStatus.Succeeded, 2, 0, 1), (receipt.Status, receipt.PapersCreated, receipt.RecordsRejected, receipt.RecordsWithWarnings));
        var warning = Assert.Single(receipt.Errors);
        Assert.True(warning.Warning);
        Assert.Equal("line 2", warning.Location);
        Assert.Contains("0000-0002-1825-0098", warning.Message, StringComparison.Ordinal);
        // The author stays under the name's profile: a mistyped iD joins nobody.
        var profile = await fixture.Services.GetRequiredService<ScholarFx.Core.Profiles.IProfileQueries>()
            .GetProfileAsync(AuthorKey.FromName($"Typo Author {tag}"), CancellationToken.None);
        Assert.True(profile is { MovedTo: null });
        Assert.Equal(1, JsonDocument.Parse(profile!.Json).RootElement.GetProperty("paperCount").GetInt32());
    }
}
