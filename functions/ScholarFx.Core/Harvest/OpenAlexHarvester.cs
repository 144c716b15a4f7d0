using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// OpenAlex <c>/works</c>: the configured <c>filter</c> plus the window's publication dates, cursor paging
/// (<c>cursor=*</c>, then <c>meta.next_cursor</c> until it is null or a page is empty), <c>per-page</c>, <c>mailto</c> for
/// the polite pool and <c>api_key</c> when set. A 403 means the rate was exceeded. The pages are stored as fetched and
/// read by the <c>openalex</c> format (a <c>results</c> page).
/// </summary>
internal sealed class OpenAlexHarvester(IOptions<OpenAlexHarvestOptions> options, HarvestClock clock) : HarvestSource
{
    /// <summary>The source's name.</summary>
    public const string SourceName = "openalex";

    private readonly OpenAlexHarvestOptions settings = options.Value;

    /// <inheritdoc/>
    public override string Name => SourceName;

    /// <inheritdoc/>
    public override string Extension => "json";

    /// <inheritdoc/>
    public override HarvestSourceOptions Options => settings;

    /// <inheritdoc/>
    public override PolitenessGate Gate { get; } = new(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);

    /// <inheritdoc/>
    public override bool ForbiddenMeansRateLimit => true;

    /// <inheritdoc/>
    public override Uri PageUri(HarvestWindow window, string? cursor)
    {
        var filter = string.Join(',', new[]
        {
            settings.Filter?.Trim(),
            string.Create(CultureInfo.InvariantCulture, $"from_publication_date:{window.From:yyyy-MM-dd}"),
            string.Create(CultureInfo.InvariantCulture, $"to_publication_date:{window.Until:yyyy-MM-dd}"),
        }.Where(f => !string.IsNullOrEmpty(f)));
        var query = new List<string>
        {
            "filter=" + Uri.EscapeDataString(filter),
            string.Create(CultureInfo.InvariantCulture, $"per-page={settings.PerPage}"),
            "cursor=" + Uri.EscapeDataString(cursor ?? "*"),
        };
        if (!string.IsNullOrWhiteSpace(settings.Mailto))
        {
            query.Add("mailto=" + Uri.EscapeDataString(settings.Mailto.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            query.Add("api_key=" + Uri.EscapeDataString(settings.ApiKey.Trim()));
        }

        return new UriBuilder(settings.EndpointUri) { Query = string.Join('&', query) }.Uri;
    }

    /// <inheritdoc/>
    public override HarvestPage Parse(ReadOnlyMemory<byte> body) => ParsePage(body);

    /// <summary>The works and next cursor of a <c>/works</c> page.</summary>
    internal static HarvestPage ParsePage(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                return HarvestPage.NotParsed("not an OpenAlex list (no \"results\" array)");
            }

            var count = results.GetArrayLength();
            string? next = null;
            if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("next_cursor", out var cursor) && cursor.ValueKind == JsonValueKind.String)
            {
                next = cursor.GetString();
            }

            // OpenAlex may hand out a cursor with the last, empty page; an empty page ends the list.
            return HarvestPage.Parsed(count, count == 0 ? null : next);
        }
        catch (JsonException e)
        {
            return HarvestPage.NotParsed($"invalid JSON ({e.Message})");
        }
    }
}
