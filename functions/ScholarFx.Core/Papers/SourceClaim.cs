namespace ScholarFx.Core.Papers;

/// <summary>
/// One source's latest record of a paper, kept with the paper so the paper can be rendered again from the set of them
/// (<see cref="PaperMerger"/>). A source is an uploader and a format: one uploader sending a paper as an Atom entry
/// and as an OpenAlex work keeps both, and they complement each other.
/// </summary>
public sealed record SourceClaim
{
    /// <summary>Who sent it: a folder of <c>abstracts</c> (<c>lab-a</c>, <c>harvest/arxiv</c>).</summary>
    public required string Uploader { get; init; }
    /// <summary>The format it was read in (<c>openalex</c>).</summary>
    public required string Format { get; init; }
    /// <summary>The creation time of the first file this source sent the paper in (the earliest of all it sent, whatever the order they were read in).</summary>
    public required DateTimeOffset FirstDelivered { get; init; }
    /// <summary>That first file's name: of two deliveries in one second (blob times have seconds), the smaller name is the first.</summary>
    public required string FirstFile { get; init; }
    /// <summary>When the file of this record was stored: the record's version, and the date of its citation count.</summary>
    public required DateTimeOffset Stored { get; init; }
    /// <summary>The file of this record.</summary>
    public required string File { get; init; }
    /// <summary>The record's number in its file (shown, not compared: see <see cref="IsNewerThan"/>).</summary>
    public int Ordinal { get; init; }
    public string? Title { get; init; }
    public string? Abstract { get; init; }
    public IReadOnlyList<PaperAuthor> Authors { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public DateOnly? Published { get; init; }
    /// <summary>True: retracted; false: reinstated; null: not said.</summary>
    public bool? Retracted { get; init; }
    public int? Citations { get; init; }
    public IReadOnlyList<YearCount> CitationsByYear { get; init; } = [];

    /// <summary>Whether <paramref name="other"/> is the same source (uploader and format).</summary>
    public bool SameSource(SourceClaim other) => Uploader == other.Uploader && Format == other.Format;

    /// <summary>
    /// Whether this record is a newer version of its source's record than <paramref name="other"/>: from a file stored
    /// later; of two files stored in one second (blob times have whole seconds), the later name. Of one file neither is
    /// newer, and the record read last is kept: a version of a blob can no longer be read once it is overwritten, so
    /// of one file name the record read last is from the newest version, and of one version the later in the file.
    /// </summary>
    public bool IsNewerThan(SourceClaim other) =>
        Stored != other.Stored ? Stored > other.Stored : string.CompareOrdinal(File, other.File) > 0;

    /// <summary>Whether this source delivered the paper before <paramref name="other"/> did (creation time, then file name).</summary>
    public int CompareDelivery(SourceClaim other) =>
        FirstDelivered != other.FirstDelivered ? FirstDelivered.CompareTo(other.FirstDelivered) : string.CompareOrdinal(FirstFile, other.FirstFile);

    /// <summary>Same source, version and content (lists compared by value).</summary>
    public bool SameAs(SourceClaim other) =>
        SameSource(other) && FirstDelivered == other.FirstDelivered && FirstFile == other.FirstFile && Stored == other.Stored &&
        File == other.File && Ordinal == other.Ordinal && Title == other.Title && Abstract == other.Abstract &&
        Published == other.Published && Retracted == other.Retracted && Citations == other.Citations &&
        Authors.SequenceEqual(other.Authors) && Categories.SequenceEqual(other.Categories, StringComparer.Ordinal) &&
        CitationsByYear.SequenceEqual(other.CitationsByYear);
}
