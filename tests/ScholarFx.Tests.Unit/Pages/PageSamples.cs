using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Pages;

/// <summary>A profile and paper records whose every text is hostile: markup, quotes, ampersands, control characters.</summary>
internal static class PageSamples
{
    public const string Script = "<script>alert('x')</script>";
    public const string Attribute = "\"><img src=x onerror=alert(1)>";

    public static PaperSummaryView Summary(string id, string published, double? novelty = 61.5, double? ai = 40) => new()
    {
        Id = id,
        Title = "Title " + Attribute + " & " + id,
        Authors = ["Ada " + Script, "Bo & Cy"],
        AuthorCount = 3,
        Category = "cs.LG",
        Published = published,
        Citations = 4,
        Novelty = novelty,
        AiScore = ai,
        Href = "/api/papers/" + Uri.EscapeDataString(id),
    };

    public static ProfileView Profile(params PaperSummaryView[] papers) => new()
    {
        Id = "ada-lovelace",
        Name = "Ada " + Script + " \u0001Lovelace",
        PrimaryCategory = "cs.LG",
        HIndex = 3,
        I10Index = 1,
        PaperCount = papers.Length,
        CitationCount = 1234,
        Novelty = 62,
        AiScore = 41,
        ScoredPaperCount = papers.Length,
        AiScoredPaperCount = papers.Length,
        CoAuthors = [new CoAuthorView("bo-cy", "Bo & Cy <b>", 2)],
        Affiliations = [new AffiliationView("Lab <i>of</i> Things", 2021, 2025, 3)],
        CountsByYear = [new YearFigures(2021, 1, null), new YearFigures(2024, 2, null)],
        Papers = papers,
        NextPapers = "/api/profiles/ada-lovelace/papers?cursor=abc%3D&top=20",
        Scoring = new ScoringView("all-MiniLM-L6-v2", "local"),
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    public static PaperView Record(string id) => new()
    {
        Id = id,
        Title = "Title " + Attribute,
        Abstract = "We show " + Script + " is text & stays text.\u0007",
        Authors = [new PaperAuthorView("Ada " + Script, "ada-lovelace", null, "/api/profiles/ada-lovelace"), new PaperAuthorView("Bo & Cy", "bo-cy", null, "/api/profiles/bo-cy")],
        Category = "cs.LG",
        Categories = ["cs.LG", "stat.ML"],
        Published = "2024-05-01",
        Citations = 4,
        Aliases = [id],
        Sources = ["scholarfx-json"],
        Novelty = 61.5,
        AiScore = 40,
        NoveltyExplanation = new NoveltyExplanationView(61.5, [new NeighbourView("arxiv:1", "Earlier " + Script, "2023-01-01", 0.8123, "/api/papers/arxiv%3A1")], 10, 0.42, 0.3, 0.5, "mean distance", new ReferenceSet("category-window", "cs.LG", 365, 250), null, "all-MiniLM-L6-v2", "1", false),
        AiAssessment = new AiAssessmentView(40, "Summary " + Script, "Rationale " + Attribute, new ScholarFx.Core.Scoring.Ai.Rubric(6, 5, 7), 0.9, 5.8, "local", "v2", new ReferenceSet("category-window", "cs.LG", 365, 250), null, false),
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
