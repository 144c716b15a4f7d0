using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Storage;

/// <summary>Settings of the ranking lists (section <c>Rankings</c>), validated at start.</summary>
public sealed class RankingOptions
{
    /// <summary>
    /// MiB of ranking pages this instance keeps with their ETags (<c>Rankings__CachedMiB</c>), so a flush of moves
    /// writes the pages it changes without reading them first; a page another instance changed meanwhile fails that
    /// write and its list is read again. 0 keeps none (every flush reads the lists it changes). An entry takes about
    /// 200 bytes.
    /// </summary>
    [Range(0, 4096)]
    public int CachedMiB { get; set; } = 128;
}
