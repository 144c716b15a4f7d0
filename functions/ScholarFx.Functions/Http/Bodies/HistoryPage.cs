using ScholarFx.Core.Storage;

namespace ScholarFx.Functions.Http.Bodies;

/// <summary>The body of <c>GET /api/profiles/{authorId}/history</c>: a page of identity changes, newest first, and the link to the next.</summary>
internal sealed record HistoryPage(IReadOnlyList<IdentityChange> Entries, string? Next);
