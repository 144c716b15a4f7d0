namespace ScholarFx.Core.Harvest;

/// <summary>Harvests the configured sources into <c>abstracts</c> and tells where each stands.</summary>
public interface IHarvestService
{
    /// <summary>Runs <paramref name="source"/> once: resumes its open window, or opens the next one, until the window is done or the run stops.</summary>
    Task<HarvestOutcome> RunAsync(string source, CancellationToken cancellationToken);

    /// <summary>Every source's state, configured or not.</summary>
    Task<IReadOnlyList<HarvestStatus>> StatusAsync(CancellationToken cancellationToken);
}

/// <summary>How one run went.</summary>
/// <param name="Source">The source.</param>
/// <param name="Result">What the run did.</param>
/// <param name="PagesStored">Pages written to <c>abstracts</c> by this run.</param>
/// <param name="PagesAlreadyStored">Pages this run fetched whose file an earlier (killed) run had stored already.</param>
/// <param name="Papers">Records in the pages this run committed.</param>
/// <param name="Error">Why the run stopped, when it did.</param>
public sealed record HarvestOutcome(string Source, HarvestResult Result, int PagesStored, int PagesAlreadyStored, long Papers, string? Error);

/// <summary>What a harvest run did.</summary>
public enum HarvestResult
{
    /// <summary>The source has no endpoint.</summary>
    Disabled,

    /// <summary>Another run (on this or another instance) holds the source's lease.</summary>
    Busy,

    /// <summary>The window was harvested to its end.</summary>
    Completed,

    /// <summary>The run stopped (the source refused, or a page failed every attempt); the next run resumes.</summary>
    Stopped,
}

/// <summary>A source's harvest as <c>GET /api/health</c> shows it.</summary>
public sealed record HarvestStatus(
    string Source,
    bool Enabled,
    string Schedule,
    DateTimeOffset? NextRun,
    DateTimeOffset? LastRun,
    string? LastResult,
    DateTimeOffset? LastCompleted,
    HarvestWindow? Window,
    int Page,
    string? Cursor,
    DateOnly? CompletedUntil,
    long PagesHarvested,
    long PapersHarvested,
    long UnparseablePages,
    string? LastFile,
    string? LastError,
    DateTimeOffset? LastErrorAt);
