using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Validity;

/// <summary>A paper of an evaluation corpus: what scoring sees of it, plus its text for the probes and the AI score.</summary>
public sealed record EvalPaper(string Id, string Title, string Abstract, IReadOnlyList<string> AuthorIds, string? Category, DateOnly Published)
{
    /// <summary>The text the product embeds (<see cref="EmbeddingStage.TextOf"/>): title, ". ", abstract.</summary>
    public string Text => Title + ". " + Abstract;
}
