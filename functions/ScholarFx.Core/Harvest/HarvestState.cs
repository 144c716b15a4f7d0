namespace ScholarFx.Core.Harvest;

/// <summary>
/// Where a source's harvest is, committed after each stored page (<see cref="HarvestStateStore"/>): the open window
/// and the cursor of its next page, what was harvested, and how the last run went.
/// </summary>
public sealed record HarvestState
{
    /// <summary>The source (<c>arxiv</c>, <c>openalex</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The window being harvested; null between windows.</summary>
    public HarvestWindow? Window { get; init; }

    /// <summary>The cursor of the window's next page (resumption token, OpenAlex cursor); null: its first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Pages of the open window stored so far (the next page's number is one more).</summary>
    public int Page { get; init; }

    /// <summary>The last day of the last completed window; the next window starts on it.</summary>
    public DateOnly? CompletedUntil { get; init; }

    /// <summary>Pages stored, over every window.</summary>
    public long PagesHarvested { get; init; }

    /// <summary>Records in the stored pages, over every window (a paper in two windows counts twice; merging makes it one).</summary>
    public long PapersHarvested { get; init; }

    /// <summary>Pages that did not parse and were fetched again.</summary>
    public long UnparseablePages { get; init; }

    /// <summary>The blob name of the last page stored.</summary>
    public string? LastFile { get; init; }

    /// <summary>When the last run started.</summary>
    public DateTimeOffset? LastRun { get; init; }

    /// <summary>How the last run ended: <c>running</c>, <c>completed</c> (its window is done) or <c>stopped</c>.</summary>
    public string? LastResult { get; init; }

    /// <summary>When a window was last completed.</summary>
    public DateTimeOffset? LastCompleted { get; init; }

    /// <summary>The last problem (a stopped run, a page that did not parse), in words safe to show.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
}
