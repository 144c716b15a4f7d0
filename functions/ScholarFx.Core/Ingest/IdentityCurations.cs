using System.Globalization;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>What a curator's corrections did: where the file is kept, corrections read and applied, papers moved, errors with their place.</summary>
public sealed record CurationOutcome(string Id, string Curator, int Read, int Applied, int PapersMoved, IReadOnlyList<IngestError> Errors)
{
    /// <summary>True when the file was over the limit and not read (nothing kept, nothing applied).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TooLarge { get; init; }

    /// <summary>True when the file as a whole could not be read as corrections (nothing applied).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Unreadable => Read == 0 && Errors is [{ Location: "file" }];
}

/// <summary>Applies a curator's identity corrections file (<c>POST /api/admin/identity</c>).</summary>
public interface IIdentityCurations
{
    /// <summary>
    /// Keeps <paramref name="body"/> (at most <see cref="IdentityCorrectionsFormat.MaxBytes"/>) as a file of the data
    /// container, applies its corrections on behalf of <paramref name="curator"/> and says what they did.
    /// </summary>
    Task<CurationOutcome> ApplyAsync(Stream body, string curator, CancellationToken cancellationToken);
}

/// <summary>
/// The curators' way in: identity corrections (merge, move, variant) change who a researcher is, so they are taken
/// only from this admin route, never from the uploaders' <c>abstracts</c> container (<see cref="FileReader"/> refuses
/// them there). The file is kept under <c>curations/</c> in the data container, with the curator's name, before anything
/// is applied, so every change can be traced to the file that asked for it.
/// </summary>
public sealed class IdentityCurations(ScholarFxStorage storage, IdentityCorrector corrector, TimeProvider clock, ILogger<IdentityCurations> logger) : IIdentityCurations
{
    /// <inheritdoc/>
    public async Task<CurationOutcome> ApplyAsync(Stream body, string curator, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"curations/{now:yyyy/MM/dd}/{now:HHmmss}-{Guid.NewGuid():N}.json");
        if (await BoundedRead.ReadAllAsync(body, IdentityCorrectionsFormat.MaxBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return new CurationOutcome(id, curator, 0, 0, 0, [new IngestError("file", $"an identity corrections file is at most {IdentityCorrectionsFormat.MaxBytes / (1024 * 1024)} MiB; split it")]) { TooLarge = true };
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await storage.Data.GetBlobClient(id).UploadAsync(
            new BinaryData(bytes),
            new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["curator"] = Uri.EscapeDataString(curator) } },
            cancellationToken).ConfigureAwait(false);

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        var (corrections, problems) = await IdentityCorrectionsFormat.ReadCorrectionsAsync(stream, cancellationToken).ConfigureAwait(false);
        var outcome = await corrector.ApplyAsync(corrections, cancellationToken, source: new CurationSource(id, curator)).ConfigureAwait(false);
        var errors = problems.Concat(outcome.Errors.Select(e => new IngestError(e.Location, e.Message)))
            .OrderBy(e => e.Location.Length).ThenBy(e => e.Location, StringComparer.Ordinal).ToList();
        logger.LogInformation("Curator {Curator} applied {Applied} of {Count} identity corrections ({File}); {Papers} papers moved, {Errors} errors",
            curator, outcome.Applied, corrections.Count, id, outcome.PapersMoved, errors.Count);
        return new CurationOutcome(id, curator, corrections.Count + problems.Count(p => p.Location != "file"), outcome.Applied, outcome.PapersMoved, errors);
    }
}
