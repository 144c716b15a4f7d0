namespace ScholarFx.Core.Papers;

/// <summary>
/// A value a source gave for a paper that the paper does not show: a source ranked above it gave another, or it may not
/// say it (only trusted sources and curators retract). Kept on the paper so a curator can see and settle it.
/// </summary>
/// <param name="Field"><c>title</c>, <c>abstract</c>, <c>authors</c>, <c>categories</c>, <c>published</c>, <c>citations</c> or <c>retracted</c>.</param>
/// <param name="Value">The value that lost, as text (an abstract cut at <see cref="MaxValueChars"/> characters).</param>
/// <param name="Uploader">Who gave it.</param>
/// <param name="Format">The format it came in.</param>
/// <param name="TakenFrom">The source whose value the paper shows (<c>lab-a</c>), or null when the paper shows none.</param>
public sealed record PaperConflict(string Field, string Value, string Uploader, string Format, string? TakenFrom)
{
    /// <summary>Longest value kept: conflicts are there to be read, the source's whole record stays with the paper.</summary>
    public const int MaxValueChars = 300;

    /// <summary>A conflict with its value cut to <see cref="MaxValueChars"/>.</summary>
    public static PaperConflict Of(string field, string value, SourceClaim loser, SourceClaim? taken) =>
        new(field, value.Length <= MaxValueChars ? value : value[..MaxValueChars] + "…", loser.Uploader, loser.Format, taken?.Uploader);
}
