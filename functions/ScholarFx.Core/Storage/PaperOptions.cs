using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Storage;

/// <summary>Settings of the papers' store (section <c>Papers</c>), validated at start.</summary>
public sealed class PaperOptions
{
    /// <summary>
    /// MiB of papers this instance stored last that it keeps with their ETags (<c>Papers__CachedMiB</c>), so settling
    /// writes a paper ingest just stored without reading it first; 0 keeps none. A paper takes about 10 KiB; one whose
    /// text is too long for a table property (kept in a blob) is never kept.
    /// </summary>
    [Range(0, 4096)]
    public int CachedMiB { get; set; } = 64;
}
