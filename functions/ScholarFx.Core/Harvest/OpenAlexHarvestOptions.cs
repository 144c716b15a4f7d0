using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Harvest;

/// <summary>The OpenAlex <c>/works</c> harvest (section <c>Harvest:OpenAlex</c>); off without an endpoint.</summary>
public sealed class OpenAlexHarvestOptions : HarvestSourceOptions
{
    /// <summary>
    /// The works filter (<c>primary_topic.subfield.id:1702</c>, <c>authorships.author.orcid:…|…</c>,
    /// <c>authorships.institutions.ror:…</c>); the harvest adds the window's publication dates.
    /// </summary>
    public string? Filter { get; set; }

    /// <summary>An e-mail address for OpenAlex's polite pool (sent as <c>mailto</c>).</summary>
    [EmailAddress]
    public string? Mailto { get; set; }

    /// <summary>An OpenAlex API key (sent as <c>api_key</c>); never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Works per page (OpenAlex allows up to 200).</summary>
    [Range(1, 200)]
    public int PerPage { get; set; } = 200;

    /// <summary>OpenAlex runs later in the night than arXiv by default.</summary>
    public OpenAlexHarvestOptions() => Schedule = "0 0 4 * * *";

    /// <summary>OpenAlex allows about ten requests a second.</summary>
    [Range(0.0, 3600.0)]
    public override double IntervalSeconds { get; set; } = 0.1;

    /// <inheritdoc/>
    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (Filter is { } filter && (filter.Contains("publication_date", StringComparison.OrdinalIgnoreCase) || filter.Any(char.IsWhiteSpace)))
        {
            yield return new ValidationResult("Filter must not name publication dates (the harvest sets its window) nor hold spaces", [nameof(Filter)]);
        }
    }
}
