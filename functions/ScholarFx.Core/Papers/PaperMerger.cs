using ScholarFx.Core.Ingest;

namespace ScholarFx.Core.Papers;

/// <summary>
/// Turns records into papers. A paper keeps each source's latest record (<see cref="SourceClaim"/>; a source is an
/// uploader and a format) and is rendered from that set, never from the order records arrived in:
/// <list type="bullet">
/// <item>a source's newer record (a later file, or read later from the same file) replaces only that source's earlier one;</item>
/// <item>title, abstract, authors and categories come from the first source in <see cref="SourcePrecedence"/> order
/// that gives them (curators, trusted sources, then the uploader that delivered the paper first), so a field a higher
/// source lacks is filled from the next; authors' ORCIDs, institutions and ids are filled from the sources below;</item>
/// <item>the date is the earliest that the first source giving one gives in any of its formats;</item>
/// <item>the citation count is the trusted source's (or curator's) with the newest count date, else the first
/// uploader's that gives one;</item>
/// <item>only curators and trusted sources retract or reinstate, the first of them that says either;</item>
/// <item>every value that lost is kept on the paper as a <see cref="PaperConflict"/>.</item>
/// </list>
/// </summary>
public sealed class PaperMerger(TimeProvider clock, SourcePrecedence precedence)
{
    /// <summary>A new paper from a validated record; its id is the record's most preferred alias.</summary>
    public Paper Create(SourceRecord record)
    {
        var aliases = record.Aliases();
        return Render(aliases[0], [Claim(record)], aliases, PaperScores.NotScored, null) with { UpdatedAt = clock.GetUtcNow() };
    }

    /// <summary>Two records of one file that describe the same paper become one record (later values win, gaps filled).</summary>
    public static SourceRecord Combine(SourceRecord first, SourceRecord later) => later with
    {
        GivenId = later.GivenId ?? first.GivenId,
        Title = later.Title ?? first.Title,
        Abstract = later.Abstract ?? first.Abstract,
        Authors = later.Authors.Count > 0 ? later.Authors : first.Authors,
        Categories = later.Categories.Count > 0 ? later.Categories : first.Categories,
        Published = Earliest(first.Published, later.Published),
        Citations = later.Citations ?? first.Citations,
        CitationsByYear = later.Citations is not null ? later.CitationsByYear : first.CitationsByYear,
        Doi = later.Doi ?? first.Doi,
        ArxivId = later.ArxivId ?? first.ArxivId,
        OpenAlexId = later.OpenAlexId ?? first.OpenAlexId,
        SemanticScholarId = later.SemanticScholarId ?? first.SemanticScholarId,
        Retracted = later.Retracted ?? first.Retracted,
    };

    /// <summary>The stored paper with the record kept as its source's latest (unless that source sent a newer one) and rendered again.</summary>
    public Paper Merge(Paper stored, SourceRecord record)
    {
        var claims = Keep(stored.Claims.Count > 0 ? stored.Claims : [StoredBefore(stored)], Claim(record));
        var aliases = stored.Aliases.Concat(record.Aliases()).Distinct(StringComparer.Ordinal);
        var rendered = Render(stored.Id, claims, aliases, stored.Scores, stored);
        return stored with
        {
            Title = rendered.Title,
            Abstract = rendered.Abstract,
            Authors = rendered.Authors,
            Categories = rendered.Categories,
            Published = rendered.Published,
            Citations = rendered.Citations,
            CitationsAsOf = rendered.CitationsAsOf,
            CitationsSource = rendered.CitationsSource,
            CitationsByYear = rendered.CitationsByYear,
            Aliases = rendered.Aliases,
            Sources = rendered.Sources,
            ContentHash = rendered.ContentHash,
            Scores = rendered.Scores,
            Retracted = rendered.Retracted,
            RetractedAt = rendered.RetractedAt,
            Claims = rendered.Claims,
            Conflicts = rendered.Conflicts,
        };
    }

    /// <summary>Whether a merge changed anything worth writing: what readers see, or the kept source records.</summary>
    public static bool Differs(Paper before, Paper after) =>
        FactsDiffer(before, after) || before.CitationsAsOf != after.CitationsAsOf || before.CitationsSource != after.CitationsSource ||
        before.RetractedAt != after.RetractedAt || !before.Conflicts.SequenceEqual(after.Conflicts) ||
        before.Claims.Count != after.Claims.Count || before.Claims.Zip(after.Claims).Any(p => !p.First.SameAs(p.Second));

    /// <summary>
    /// Whether a merge changed what scores, author rows and the corpus view are built from. A merge that only kept a newer
    /// version of a record saying the same (a harvest fetched again) changes none of them: the paper is written, not projected.
    /// </summary>
    public static bool FactsDiffer(Paper before, Paper after) =>
        before.Title != after.Title || before.Abstract != after.Abstract || before.Published != after.Published ||
        before.Citations != after.Citations || before.ContentHash != after.ContentHash ||
        !before.CitationsByYear.SequenceEqual(after.CitationsByYear) ||
        !before.Authors.SequenceEqual(after.Authors) || !before.Categories.SequenceEqual(after.Categories) ||
        !before.Aliases.SequenceEqual(after.Aliases) || !before.Sources.SequenceEqual(after.Sources) || before.Retracted != after.Retracted;

    /// <summary>The kept records with <paramref name="incoming"/> in its source's place when it is that source's newer (or same) record.</summary>
    internal static IReadOnlyList<SourceClaim> Keep(IReadOnlyList<SourceClaim> claims, SourceClaim incoming)
    {
        var existing = claims.FirstOrDefault(c => c.SameSource(incoming));
        if (existing is null)
        {
            return [.. claims, incoming];
        }

        // The first delivery is the earliest of both, whichever was read first.
        var first = existing.CompareDelivery(incoming) <= 0 ? existing : incoming;
        var kept = (existing.IsNewerThan(incoming) ? existing : incoming) with { FirstDelivered = first.FirstDelivered, FirstFile = first.FirstFile };
        return [.. claims.Select(c => ReferenceEquals(c, existing) ? kept : c)];
    }

    /// <summary>The record as its source's kept record.</summary>
    internal static SourceClaim Claim(SourceRecord record) => new()
    {
        Uploader = record.Origin.Uploader,
        Format = record.Source,
        FirstDelivered = record.Origin.Delivered,
        FirstFile = record.Origin.File,
        Stored = record.Origin.Stored,
        File = record.Origin.File,
        Ordinal = record.Origin.Ordinal,
        Title = record.Title?.Trim() is { Length: > 0 } title ? title : null,
        Abstract = record.Abstract?.Trim() is { Length: > 0 } text ? text : null,
        Authors = record.Authors,
        Categories = record.Categories,
        Published = record.Published,
        Retracted = record.Retracted,
        Citations = record.Citations,
        CitationsByYear = record.Citations is null ? [] : record.CitationsByYear,
    };

    /// <summary>What a paper stored before sources were kept said, as one trusted source that delivered it first.</summary>
    private static SourceClaim StoredBefore(Paper stored) => new()
    {
        Uploader = SourcePrecedence.StoredBefore,
        Format = stored.Sources.Count > 0 ? stored.Sources[0] : SourcePrecedence.StoredBefore,
        FirstDelivered = DateTimeOffset.MinValue,
        FirstFile = "",
        Stored = stored.CitationsAsOf ?? stored.RetractedAt ?? stored.UpdatedAt,
        File = "",
        Title = stored.Title,
        Abstract = stored.Abstract,
        Authors = stored.Authors,
        Categories = stored.Categories,
        Published = stored.Published,
        Retracted = stored.Retracted ? true : null,
        Citations = stored.Citations,
        CitationsByYear = stored.CitationsByYear,
    };

    private Paper Render(string id, IReadOnlyList<SourceClaim> kept, IEnumerable<string> aliases, PaperScores scores, Paper? stored)
    {
        var claims = precedence.Rank(kept);
        var conflicts = new List<PaperConflict>();
        var title = Pick(claims, c => c.Title, Normalised, c => c.Title!, "title", conflicts);
        var @abstract = Pick(claims, c => c.Abstract, Normalised, c => c.Abstract!, "abstract", conflicts);
        var authors = Pick(claims, c => c.Authors.Count > 0 ? c.Authors : null, a => string.Join('|', a.Select(x => x.NameKey)), c => string.Join("; ", c.Authors.Select(a => a.Name)), "authors", conflicts);
        var categories = Pick(claims, c => c.Categories.Count > 0 ? c.Categories : null, c => string.Join(' ', c), c => string.Join(' ', c.Categories), "categories", conflicts);
        var published = Published(claims, conflicts);
        var cited = Cited(claims, conflicts);
        var retraction = Retraction(claims, conflicts);
        var titleText = title?.Title ?? stored?.Title ?? "";
        var abstractText = @abstract?.Abstract ?? stored?.Abstract ?? "";
        var contentHash = PaperIdentity.ContentHash(titleText, abstractText);
        return new Paper
        {
            Id = id,
            Title = titleText,
            Abstract = abstractText,
            Authors = authors is null ? stored?.Authors ?? [] : FillAuthorDetails(authors.Authors, claims.Where(c => c != authors).SelectMany(c => c.Authors)),
            Categories = categories?.Categories ?? [],
            Published = published ?? stored?.Published ?? throw new InvalidOperationException($"Paper {id} has no date from any source."),
            Citations = cited?.Citations,
            CitationsAsOf = cited?.Stored,
            CitationsSource = cited?.Format,
            // The per-year counts go with the total they came with, never mixed from two sources.
            CitationsByYear = cited?.CitationsByYear ?? [],
            Aliases = [.. aliases.Distinct(StringComparer.Ordinal).OrderBy(PaperIdentity.Rank)],
            Sources = [.. claims.Select(c => c.Format).Distinct(StringComparer.Ordinal)],
            ContentHash = contentHash,
            // New text means the old scores describe another abstract: they are recomputed.
            Scores = stored is not null && contentHash == stored.ContentHash ? scores : PaperScores.NotScored,
            Retracted = retraction?.Retracted == true,
            RetractedAt = retraction?.Retracted == true ? retraction.Stored : null,
            Claims = claims,
            Conflicts = conflicts,
            UpdatedAt = stored?.UpdatedAt ?? default,
        };
    }

    /// <summary>The first claim giving a value; every other claim whose value differs (compared by <paramref name="key"/>) is a conflict.</summary>
    private static SourceClaim? Pick<T>(IReadOnlyList<SourceClaim> claims, Func<SourceClaim, T?> value, Func<T, string> key, Func<SourceClaim, string> show, string field, List<PaperConflict> conflicts)
        where T : class
    {
        var taken = claims.FirstOrDefault(c => value(c) is not null);
        if (taken is not null)
        {
            var shown = key(value(taken)!);
            conflicts.AddRange(claims.Where(c => value(c) is { } v && key(v) != shown).Select(c => PaperConflict.Of(field, show(c), c, taken)));
        }

        return taken;
    }

    /// <summary>The earliest date of the first uploader giving one (an Atom entry's first version beats its own OpenAlex record's journal date).</summary>
    private static DateOnly? Published(IReadOnlyList<SourceClaim> claims, List<PaperConflict> conflicts)
    {
        var leader = claims.FirstOrDefault(c => c.Published is not null);
        if (leader is null)
        {
            return null;
        }

        var from = claims.Where(c => c.Uploader == leader.Uploader && c.Published is not null).MinBy(c => c.Published)!;
        conflicts.AddRange(claims.Where(c => c.Published is { } d && d != from.Published)
            .Select(c => PaperConflict.Of("published", c.Published!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), c, from)));
        return from.Published;
    }

    /// <summary>
    /// The trusted count with the newest date (curators' and trusted sources'), else the first uploader's newest count:
    /// an uploader never replaces, inflates or lowers a count a source ranked above it gave.
    /// </summary>
    private SourceClaim? Cited(IReadOnlyList<SourceClaim> claims, List<PaperConflict> conflicts)
    {
        var counted = claims.Where(c => c.Citations is not null).ToList();
        var trusted = counted.Where(c => precedence.IsTrusted(c.Uploader)).ToList();
        var pool = trusted.Count > 0 || counted.Count == 0 ? trusted : counted.Where(c => c.Uploader == counted[0].Uploader).ToList();
        // Newest count date first; of two counts of one date the higher-ranked source's (the list is in rank order).
        var taken = pool.Count == 0 ? null : pool.Aggregate((a, b) => b.Stored > a.Stored ? b : a);
        conflicts.AddRange(counted.Where(c => taken is not null && c.Citations != taken.Citations)
            .Select(c => PaperConflict.Of("citations", c.Citations!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), c, taken)));
        return taken;
    }

    /// <summary>The first curator's or trusted source's word on retraction; an uploader's is a conflict, never taken.</summary>
    private SourceClaim? Retraction(IReadOnlyList<SourceClaim> claims, List<PaperConflict> conflicts)
    {
        var taken = claims.FirstOrDefault(c => c.Retracted is not null && precedence.IsTrusted(c.Uploader));
        var shown = taken?.Retracted == true;
        conflicts.AddRange(claims.Where(c => c.Retracted is { } r && r != shown)
            .Select(c => PaperConflict.Of("retracted", c.Retracted == true ? "true" : "false", c, taken)));
        return taken;
    }

    private static string Normalised(string text) => string.Join(' ', AuthorKey.Tokens(text));

    /// <summary>Other sources' ORCIDs and institutions fill what the shown authors lack (matched by name), in precedence order.</summary>
    private static IReadOnlyList<PaperAuthor> FillAuthorDetails(IReadOnlyList<PaperAuthor> shown, IEnumerable<PaperAuthor> others)
    {
        var byName = others.GroupBy(a => a.NameKey).ToDictionary(g => g.Key, g => g.ToList());
        return [.. shown.Select(a => byName.TryGetValue(a.NameKey, out var more)
            ? a with
            {
                Orcid = a.Orcid ?? more.Select(o => o.Orcid).FirstOrDefault(o => o is not null),
                Affiliations = a.Institutions.Count == 0 && more.FirstOrDefault(o => o.Institutions.Count > 0) is { } other ? other.Institutions : a.Affiliations,
                ExternalIds = more.Aggregate(a.SourceIds, (ids, o) => [.. ids.Union(o.SourceIds, StringComparer.Ordinal)]) is { Count: > 0 } ids ? ids : null,
            }
            : a)];
    }

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
