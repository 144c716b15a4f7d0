namespace ScholarFx.Functions.Http.Bodies;

/// <summary>The body of <c>GET /api/profiles</c> by name or ranked: a page of authors and the link to the next.</summary>
/// <typeparam name="T">An author found by name (<see cref="NamedAuthor"/>) or in a ranked list (<see cref="RankedAuthor"/>).</typeparam>
internal sealed record AuthorsPage<T>(IReadOnlyList<T> Authors, string? Next);
