namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// What the description says of one HTTP function beyond what its attributes declare (route, methods, authorization
/// level): a summary, its path and query parameters, its request body and its responses.
/// </summary>
internal sealed record ApiOperation(string Tag, string Summary)
{
    /// <summary>Longer prose, where the summary is not enough.</summary>
    public string? Description { get; init; }

    /// <summary>What each route parameter is, by name.</summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The query parameters it reads.</summary>
    public IReadOnlyList<ApiParameter> Query { get; init; } = [];

    /// <summary>The request body: its media type and, for JSON, the type it is read as.</summary>
    public (string MediaType, string Description, Type? Json)? RequestBody { get; init; }

    /// <summary>Its responses besides those of every route (500 problem JSON; 401 without a key).</summary>
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    /// <summary>It tags its 200 with an ETag and answers <c>If-None-Match</c> with a 304.</summary>
    public bool Conditional { get; init; }
}
