using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Storage;

/// <summary>Settings of the papers' store (section <c>Papers</c>), validated at start.</summary>
public sealed class PaperOptions
{
    /// <summary>
    /// Papers this instance wrote last that it keeps, with their ETags (<c>Papers__Cached</c>), so that settling
    /// writes a paper ingest just stored without reading it first; 0 keeps none. A few KiB a paper.
    /// </summary>
    [Range(0, 1_000_000)]
    public int Cached { get; set; } = 10_000;
}
