namespace ScholarFx.Functions.Http.Bodies;

/// <summary>The body of the 202 of <c>POST /api/abstracts</c>: the stored blob and the route of its receipt.</summary>
internal sealed record UploadAccepted(string Blob, string Receipt);
