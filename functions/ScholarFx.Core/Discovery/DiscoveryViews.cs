namespace ScholarFx.Core.Discovery;

/// <summary>A paper found by meaning: its similarity to the paper or query, and where to read it.</summary>
public sealed record FoundPaperView(string Id, string? Title, string Published, string? Category, double Similarity, string Href);

/// <summary>Papers nearest a paper or a query, most similar first, with the embedding model that measured them.</summary>
public sealed record FoundPapersView(IReadOnlyList<FoundPaperView> Papers, string Model);

/// <summary>An author found by topic: how close their closest papers are, and those papers.</summary>
public sealed record TopicAuthorView(string Id, string Name, double Score, int Papers, IReadOnlyList<FoundPaperView> Closest, string Href);

/// <summary>Authors ranked by how close their papers are to a topic, with the model that measured it.</summary>
public sealed record TopicAuthorsView(IReadOnlyList<TopicAuthorView> Authors, string Model, string Rule);
