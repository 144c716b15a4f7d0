namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// One response of a route: its status, what it means, and its body, by media type: JSON whose schema comes from the
/// C# types it is serialised from (any of them when more than one), RFC 7807 problem JSON, or a media type alone.
/// </summary>
internal sealed record ApiResponse(int Status, string Description)
{
    /// <summary>Media type of JSON bodies.</summary>
    public const string JsonMediaType = "application/json";

    /// <summary>Media type of RFC 7807 problem bodies.</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The body's media type; null for a response without a body.</summary>
    public string? MediaType { get; init; }

    /// <summary>The types a JSON body is serialised from (with <c>ScholarFxJson.Options</c>); the body is any one of them.</summary>
    public IReadOnlyList<Type> Bodies { get; init; } = [];

    /// <summary>The answer carries a <c>Location</c> header (a redirect, or the status of what was accepted).</summary>
    public bool Location { get; init; }

    /// <summary>A JSON body, one of <paramref name="types"/>.</summary>
    public static ApiResponse Json(int status, string description, params Type[] types) =>
        new(status, description) { MediaType = JsonMediaType, Bodies = types };

    /// <summary>RFC 7807 problem JSON.</summary>
    public static ApiResponse Problem(int status, string description) =>
        new(status, description) { MediaType = ProblemMediaType };

    /// <summary>A body described by its media type alone (a page, a badge, a feed, JSON Lines).</summary>
    public static ApiResponse Media(int status, string description, string mediaType) =>
        new(status, description) { MediaType = mediaType };

    /// <summary>No body.</summary>
    public static ApiResponse Empty(int status, string description) => new(status, description);
}
