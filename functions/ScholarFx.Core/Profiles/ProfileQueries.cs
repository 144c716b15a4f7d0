using ScholarFx.Core.Papers;
using ScholarFx.Core.Storage;
using Microsoft.Extensions.Options;

namespace ScholarFx.Core.Profiles;

/// <summary>A rendered profile and its HTTP entity tag, or (with <see cref="MovedTo"/>) where the profile asked for is now.</summary>
public sealed record ProfileDocument(string Json, string ETag)
{
    /// <summary>The profile id an old id resolves to (a curator's merge, or a name whose papers all went to one ORCID profile).</summary>
    public string? MovedTo { get; init; }

    /// <summary>A redirect to another profile.</summary>
    public static ProfileDocument Moved(string to) => new("", "") { MovedTo = to };
}

/// <summary>A page of results with the cursor of the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// Outcome of a query whose input can be wrong: a value, or a client error message; with <see cref="RetryAfter"/>, a
/// query refused for now (too many from the client, or at once), to be asked again after that time.
/// </summary>
public sealed record QueryResult<T>(T? Value, string? Problem, TimeSpan? RetryAfter = null)
{
    public static QueryResult<T> Ok(T? value) => new(value, null);
    public static QueryResult<T> Invalid(string problem) => new(default, problem);
    public static QueryResult<T> Refused(TimeSpan retryAfter, string problem) => new(default, problem, retryAfter);
}

/// <summary>Reads of profiles, author paper pages and the name index.</summary>
public interface IProfileQueries
{
    /// <summary>The rendered profile (one point read), or null for an unknown author.</summary>
    Task<ProfileDocument?> GetProfileAsync(string authorId, CancellationToken cancellationToken);

    /// <summary>A page of the author's papers, newest first; null value for an unknown author.</summary>
    Task<QueryResult<Page<PaperSummaryView>>> GetPapersAsync(string authorId, string? cursor, int? top, CancellationToken cancellationToken);

    /// <summary>Every profile as rendered, for the bulk export; streamed, never held whole.</summary>
    IAsyncEnumerable<string> ExportAsync(CancellationToken cancellationToken);

    /// <summary>Authors whose name has tokens starting with every token of <paramref name="query"/>.</summary>
    Task<QueryResult<Page<NameHit>>> FindAsync(string? query, string? cursor, int? top, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IProfileQueries"/>
public sealed class ProfileQueries(IAuthorStore authors, IIdentityStore identities, IOptions<ProfileOptions> options) : IProfileQueries
{
    /// <summary>Longest name query (characters), the longest name stored.</summary>
    public const int MaxQueryChars = Ingest.RecordValidator.MaxAuthorNameChars;

    /// <summary>Most words in a name query.</summary>
    public const int MaxQueryWords = 10;

    /// <inheritdoc/>
    public async Task<ProfileDocument?> GetProfileAsync(string authorId, CancellationToken cancellationToken)
    {
        // The rendered profile alone: the ledger in the same row is for writers.
        var id = Normalise(authorId);
        var profile = await authors.GetProfileJsonAsync(id, cancellationToken).ConfigureAwait(false);
        return profile is { } found ? new ProfileDocument(found.Json, "\"" + found.ContentTag + "\"")
            : await WhereIsAsync(id, cancellationToken).ConfigureAwait(false) is { } moved ? ProfileDocument.Moved(moved)
            : null;
    }

    /// <summary>
    /// Where an id without a profile went (docs/identity.md): a curator merged it into another, or it is a name whose
    /// papers all belong to the one ORCID profile known for it (a curator's variant, or the only ORCID seen with it).
    /// Only an existing profile is answered, so a redirect never leads to a 404.
    /// </summary>
    private async Task<string?> WhereIsAsync(string id, CancellationToken cancellationToken)
    {
        var current = id;
        for (var hop = 0; hop < IdentityStore.MaxRedirects; hop++)
        {
            var known = await identities.GetAsync(current, cancellationToken).ConfigureAwait(false);
            var next = known.Redirect ?? known.CuratedOrcid ?? (known.Orcids.Count == 1 ? known.Orcids.Keys.First() : null);
            if (next is null || next == id)
            {
                return null;
            }

            if (await authors.GetProfileJsonAsync(next, cancellationToken).ConfigureAwait(false) is not null)
            {
                return next;
            }

            current = next;
        }

        return null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<string> ExportAsync(CancellationToken cancellationToken) => authors.ScanProfilesAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<QueryResult<Page<PaperSummaryView>>> GetPapersAsync(string authorId, string? cursor, int? top, CancellationToken cancellationToken)
    {
        if (ValidateTop(top) is { } problem)
        {
            return QueryResult<Page<PaperSummaryView>>.Invalid(problem);
        }

        if (!Cursor.TryDecode(cursor, out var token))
        {
            return QueryResult<Page<PaperSummaryView>>.Invalid(BadCursor);
        }

        var id = Normalise(authorId);
        var size = top ?? options.Value.PageSize;
        AuthorPapersPage page;
        try
        {
            page = await authors.GetPapersPageAsync(id, token, size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBadContinuation(e))
        {
            return QueryResult<Page<PaperSummaryView>>.Invalid(BadCursor);
        }

        // A first page with no papers: is there such a profile at all? (A page with papers answers that already.)
        if (token is null && page.Papers.Count == 0 && await authors.GetProfileJsonAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return QueryResult<Page<PaperSummaryView>>.Ok(null);
        }

        var next = Cursor.Encode(page.ContinuationToken) is { } c ? $"/api/profiles/{Uri.EscapeDataString(id)}/papers?cursor={c}&top={size}" : null;
        return QueryResult<Page<PaperSummaryView>>.Ok(new Page<PaperSummaryView>([.. page.Papers.Select(PaperSummaryView.From)], next));
    }

    /// <inheritdoc/>
    public async Task<QueryResult<Page<NameHit>>> FindAsync(string? query, string? cursor, int? top, CancellationToken cancellationToken)
    {
        if (query?.Length > MaxQueryChars)
        {
            // No stored name is longer (RecordValidator.MaxAuthorNameChars), and each word costs a scan of its hits.
            return QueryResult<Page<NameHit>>.Invalid($"q is at most {MaxQueryChars} characters: the start of an author's name");
        }

        var tokens = AuthorKey.Tokens(query ?? "");
        if (tokens.Count == 0)
        {
            return QueryResult<Page<NameHit>>.Invalid("q is required: the start of an author's name, e.g. ?q=boyu");
        }

        if (tokens.Count > MaxQueryWords)
        {
            return QueryResult<Page<NameHit>>.Invalid($"q has at most {MaxQueryWords} words");
        }

        var longest = tokens.OrderByDescending(t => t.Length).First();
        if (longest.Length < 2)
        {
            return QueryResult<Page<NameHit>>.Invalid("q needs at least two letters of a name");
        }

        if (ValidateTop(top) is { } problem)
        {
            return QueryResult<Page<NameHit>>.Invalid(problem);
        }

        if (!Cursor.TryDecode(cursor, out var token))
        {
            return QueryResult<Page<NameHit>>.Invalid(BadCursor);
        }

        var size = top ?? options.Value.PageSize;
        IReadOnlyList<NameHit> hits;
        string? nextToken;
        try
        {
            (hits, nextToken) = await authors.FindByTokenPrefixAsync(longest, token, size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBadContinuation(e))
        {
            return QueryResult<Page<NameHit>>.Invalid(BadCursor);
        }

        // The index is searched by the longest token; the others must start some token of the name too.
        var matching = hits
            .Where(h => tokens.All(t => AuthorKey.Tokens(h.Name).Concat(h.Id.Split('-')).Any(n => n.StartsWith(t, StringComparison.Ordinal))))
            .DistinctBy(h => h.Id)
            .ToList();
        var next = Cursor.Encode(nextToken) is { } c ? $"/api/profiles?q={Uri.EscapeDataString(query!)}&cursor={c}&top={size}" : null;
        return QueryResult<Page<NameHit>>.Ok(new Page<NameHit>(matching, next));
    }

    internal const string BadCursor = "cursor is not valid; use the next link (or nextPapers) of a previous response";

    // A decodable cursor ScholarFx did not issue is refused by the SDK's token parser or by the service (400).
    internal static bool IsBadContinuation(Exception e) =>
        e is ArgumentException or FormatException or IndexOutOfRangeException || e is Azure.RequestFailedException { Status: 400 };

    private string? ValidateTop(int? top) => ValidateTop(top, options.Value);

    /// <summary>Why a caller's <c>top</c> is refused, or null: every paged list takes 1 to <see cref="ProfileOptions.MaxPageSize"/>.</summary>
    internal static string? ValidateTop(int? top, ProfileOptions options) =>
        top is { } t && (t < 1 || t > options.MaxPageSize) ? $"top must be between 1 and {options.MaxPageSize}" : null;

    // Name slugs are lower case; an ORCID iD's check character is an upper-case X.
    internal static string Normalise(string authorId) =>
        authorId.Trim().ToUpperInvariant() is var upper && AuthorKey.IsOrcid(upper) ? upper : authorId.Trim().ToLowerInvariant();
}
