using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Harvest;

/// <summary>Settings every harvest source shares (section <c>Harvest</c>), validated at start.</summary>
public sealed class HarvestOptions
{
    /// <summary>
    /// An e-mail address the sources can reach the operator at, sent in the User-Agent (<c>ScholarFx/1.0
    /// (+mailto:…)</c>); empty: <c>Harvest__OpenAlex__Mailto</c>, else none (<c>Harvest__Contact</c>).
    /// </summary>
    [EmailAddress]
    public string? Contact { get; set; }

    /// <summary>Attempts of one page (transient failures, 503/429, a page that does not parse) before the run stops and the next run resumes it.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Longest exponential back-off between two attempts, seconds (it starts at 2 s and doubles).</summary>
    [Range(1, 3600)]
    public int MaxBackoffSeconds { get; set; } = 300;

    /// <summary>Longest <c>Retry-After</c> a run waits for; a source asking for longer stops the run, the next run resumes.</summary>
    [Range(1, 86400)]
    public int MaxRetryAfterSeconds { get; set; } = 900;
}
