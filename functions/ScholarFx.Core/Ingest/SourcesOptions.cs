using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Who ranks above whom when sources of one paper disagree (section <c>Sources</c>), validated at start. A source is
/// who sent a record: the first folder of a dropped file's name in <c>abstracts</c> (<c>harvest/{source}</c> for a
/// harvester), <see cref="ApiUploader"/> for <c>POST /api/abstracts</c>. Names are comma-separated.
/// </summary>
public sealed class SourcesOptions
{
    /// <summary>Curators' folders (<c>curation</c>): they rank first and may retract, date, cite and correct any paper.</summary>
    [RegularExpression(NameList, ErrorMessage = "Sources:Curators is a comma-separated list of folder names (harvest/arxiv, lab-a).")]
    public string Curators { get; set; } = "";

    /// <summary>
    /// Trusted sources, by default the two harvesters (only the app writes <c>harvest/</c>): after curators; they may
    /// retract, their newest citation count is taken.
    /// </summary>
    [RegularExpression(NameList, ErrorMessage = "Sources:Trusted is a comma-separated list of folder names (harvest/arxiv, lab-a).")]
    public string Trusted { get; set; } = "harvest/arxiv,harvest/openalex";

    /// <summary>
    /// The folder (and so the source name) of files posted to <c>POST /api/abstracts</c>: a function key names no
    /// caller inside the worker, so every caller of the route is this one source. Give each lab its own folder
    /// (a SAS or RBAC condition on its prefix) when labs must not rewrite each other.
    /// </summary>
    [Required, RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", ErrorMessage = "Sources:ApiUploader is one folder name of letters, digits, '.', '_' or '-'.")]
    public string ApiUploader { get; set; } = "uploads";

    // Folder names (one level, or harvest/{source}), separated by commas, spaces allowed around them.
    private const string NameList = @"^\s*([A-Za-z0-9()][A-Za-z0-9()._-]*(/[A-Za-z0-9._-]+)?\s*(,\s*|$))*$";

    /// <summary>The curators' source names.</summary>
    public IReadOnlySet<string> CuratorSet => Split(Curators);

    /// <summary>The trusted source names.</summary>
    public IReadOnlySet<string> TrustedSet => Split(Trusted);

    private static HashSet<string> Split(string names) =>
        new(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
}
