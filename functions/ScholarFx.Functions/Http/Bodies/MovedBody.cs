namespace ScholarFx.Functions.Http.Bodies;

/// <summary>The body of a 301: where the resource now is, for clients that do not follow redirects.</summary>
internal sealed record MovedBody(string MovedTo);
