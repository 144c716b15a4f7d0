using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ScholarFx.Core.Harvest;

/// <summary>What every harvest source is configured with: where, from when, how often, how politely.</summary>
public abstract class HarvestSourceOptions : IValidatableObject
{
    /// <summary>The source's base URL; empty: the source is off.</summary>
    public string? Endpoint { get; set; }

    /// <summary>First day of the first run's backfill (<c>yyyy-MM-dd</c>); empty: three years before the first run.</summary>
    public string? From { get; set; }

    /// <summary>When the timer runs (6-field NCRONTAB, UTC); read by the function's trigger, shown by health.</summary>
    [Required]
    public string Schedule { get; set; } = "0 30 3 * * *";

    /// <summary>Least seconds between two requests to the source.</summary>
    public abstract double IntervalSeconds { get; set; }

    /// <summary>Whether the source is configured (has an endpoint).</summary>
    internal bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint as a URI (only when <see cref="Enabled"/>).</summary>
    internal Uri EndpointUri => new(Endpoint!, UriKind.Absolute);

    /// <summary>The configured first day of the backfill, or null.</summary>
    internal DateOnly? FromDate => string.IsNullOrWhiteSpace(From) ? null : DateOnly.ParseExact(From.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0))
        {
            yield return new ValidationResult("Endpoint must be an absolute http(s) URL without a query, or empty to turn the source off", [nameof(Endpoint)]);
        }

        if (!string.IsNullOrWhiteSpace(From) && !DateOnly.TryParseExact(From.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return new ValidationResult("From must be a day (yyyy-MM-dd) or empty", [nameof(From)]);
        }

        if (HarvestSchedule.Problem(Schedule) is { } problem)
        {
            yield return new ValidationResult($"Schedule {problem}", [nameof(Schedule)]);
        }
    }
}
