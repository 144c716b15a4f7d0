using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http.Bodies;

/// <summary>The body of <c>GET /api/profiles/{authorId}/papers</c>: a page of the author's papers and the link to the next.</summary>
internal sealed record PapersPage(IReadOnlyList<PaperSummaryView> Papers, string? Next);
