using ScholarFx.Core.Ingest;

namespace ScholarFx.Tests.Unit.Ingest;

public sealed class RecordOriginTests
{
    [Theory]
    [InlineData("lab-a/2026/papers.jsonl", "lab-a")]
    [InlineData("lab-a/papers.jsonl", "lab-a")]
    [InlineData("papers.jsonl", RecordOrigin.RootUploader)]
    [InlineData("harvest/arxiv/2026-01-01_2026-01-02/000001-ab12.xml", "harvest/arxiv")]
    [InlineData("harvest/openalex/w/000002-cd34.json", "harvest/openalex")]
    [InlineData("harvest/page.json", "harvest")]
    [InlineData("uploads/2026/12/07/0a1b-paper.json", "uploads")]
    public void TheUploader_IsTheFirstFolder_OrTheHarvesterUnderHarvest(string blobName, string uploader)
    {
        Assert.Equal(uploader, RecordOrigin.UploaderOf(blobName));
    }

    [Fact]
    public void AnOrigin_CarriesTheFileItsTimesAndTheRecordsPlace()
    {
        var created = new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero);

        var origin = RecordOrigin.Of("lab-b/x.json", created, created.AddHours(1), 3);

        Assert.Equal(("lab-b", "lab-b/x.json", created, created.AddHours(1), 3), (origin.Uploader, origin.File, origin.Delivered, origin.Stored, origin.Ordinal));
    }
}
