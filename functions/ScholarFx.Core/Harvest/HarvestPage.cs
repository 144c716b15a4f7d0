namespace ScholarFx.Core.Harvest;

/// <summary>What a fetched page says: how many records, the cursor of the next page (null: the window is done), or why it cannot be used.</summary>
internal sealed record HarvestPage
{
    /// <summary>Records in the page (deleted records not counted).</summary>
    public int Records { get; init; }

    /// <summary>The cursor of the next page; null when this is the last.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Why the page did not parse (truncated, not the expected document); it is fetched again.</summary>
    public string? Unparseable { get; init; }

    /// <summary>An error the source reported that retrying will not cure; the run stops.</summary>
    public string? Error { get; init; }

    /// <summary>The source no longer knows the cursor (an expired resumption token): the window starts again.</summary>
    public bool CursorExpired { get; init; }

    public static HarvestPage Parsed(int records, string? next) => new() { Records = records, NextCursor = string.IsNullOrEmpty(next) ? null : next };

    public static HarvestPage NotParsed(string problem) => new() { Unparseable = problem };

    public static HarvestPage Failed(string error) => new() { Error = error };

    public static HarvestPage Expired() => new() { CursorExpired = true };
}
