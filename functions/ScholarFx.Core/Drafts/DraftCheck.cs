using System.Globalization;
using System.Text.Json;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Drafts;

/// <summary>The body of <c>POST /api/novelty</c>: a draft's title and abstract, optionally its categories, authors and date.</summary>
public sealed record DraftRequest
{
    public string? Title { get; init; }
    public string? Abstract { get; init; }
    public IReadOnlyList<string>? Categories { get; init; }
    /// <summary>The day it would be published (<c>YYYY-MM-DD</c>); today (UTC) when absent.</summary>
    public string? Date { get; init; }
    /// <summary>Its authors: their earlier versions of the same text are not counted as earlier work, as at ingest.</summary>
    public IReadOnlyList<string>? Authors { get; init; }
}

/// <summary>What the draft would get if published on <see cref="Published"/>: both scores with their explanations.</summary>
public sealed record DraftCheckView(
    string Published,
    string? Category,
    double? Novelty,
    NoveltyExplanationView NoveltyExplanation,
    double? AiScore,
    AiAssessmentView AiAssessment,
    string Stored);

/// <summary>The draft novelty check: what a paper would score if it were published on a given day.</summary>
public interface IDraftCheck
{
    /// <summary>Largest body accepted (bytes): the longest title and abstract ingest accepts, with room for the rest.</summary>
    const int MaxBodyBytes = 1 << 20;

    /// <summary>Reads and checks a request body (at most <see cref="MaxBodyBytes"/>); a problem for bad input.</summary>
    Task<QueryResult<DraftCheckView>> CheckAsync(Stream body, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IDraftCheck"/>
/// <remarks>
/// The draft goes through ingest's own path without being written: validated by <see cref="RecordValidator"/> (the same
/// limits), made a paper by <see cref="PaperMerger.Create"/> under a throw-away id, scored by the
/// <see cref="ScoringPipeline"/> exactly as an ingest batch is (provisional scores against the shared corpus view, the
/// same embedding model and exact index), then answered. Nothing stores it: the pipeline writes nothing, the run is
/// <see cref="ScoringRun.Ephemeral"/> (no assessment cache), and no log line carries its text.
/// </remarks>
public sealed class DraftCheck(ScoringPipeline scoring, IPaperStore papers, PaperMerger merger, RecordValidator validator, TimeProvider clock) : IDraftCheck
{
    private static readonly JsonSerializerOptions Json = new(ScholarFxJson.Options) { MaxDepth = 8 };

    /// <summary>What the answer says was kept of the draft.</summary>
    public const string NothingStored = "nothing: the draft was scored in memory and not stored anywhere";

    /// <inheritdoc/>
    public async Task<QueryResult<DraftCheckView>> CheckAsync(Stream body, CancellationToken cancellationToken)
    {
        if (await BoundedRead.ReadAllAsync(body, IDraftCheck.MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return QueryResult<DraftCheckView>.Invalid($"the body is over {IDraftCheck.MaxBodyBytes:N0} bytes");
        }

        DraftRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DraftRequest>(bytes.Span, Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escape System.Text.Json cannot turn into text (a lone surrogate).
            return QueryResult<DraftCheckView>.Invalid("the body is not a JSON object of title, abstract, categories, authors and date: " + e.Message);
        }

        if (request is null)
        {
            return QueryResult<DraftCheckView>.Invalid("the body is empty; send { \"title\": …, \"abstract\": … }");
        }

        var published = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!string.IsNullOrWhiteSpace(request.Date) &&
            !DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out published))
        {
            return QueryResult<DraftCheckView>.Invalid("date must be YYYY-MM-DD");
        }

        // Text made valid as every ingest reader makes it (a noncharacter would stop normalisation further on).
        var authors = (request.Authors ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => new PaperAuthor(ValidText.Clean(a.Trim()))).ToList();
        var record = new SourceRecord
        {
            Source = "draft",
            Title = request.Title is null ? null : ValidText.Clean(request.Title),
            Abstract = request.Abstract is null ? null : ValidText.Clean(request.Abstract),
            // The validator asks for authors, which a draft may leave out: one that cannot match anyone stands in.
            Authors = authors.Count > 0 ? authors : [new PaperAuthor("draft")],
            Categories = [.. (request.Categories ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => ValidText.Clean(c.Trim()))],
            Published = published,
            Location = "the request",
        };
        if (validator.Problem(record) is { } problem)
        {
            return QueryResult<DraftCheckView>.Invalid(problem);
        }

        var id = "draft:" + Guid.NewGuid().ToString("N");
        var paper = merger.Create(record) with { Id = id, Aliases = [id], Authors = authors };
        var scored = (await scoring.ScoreAsync([paper], new ScoringRun { Ephemeral = true }, cancellationToken).ConfigureAwait(false))[0];
        var neighbours = scored.Scores.Novelty.Explanation<Scoring.Novelty.NoveltyExplanation>()?.Neighbours ?? [];
        var titles = await papers.GetTitlesAsync([.. neighbours.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
        return QueryResult<DraftCheckView>.Ok(new DraftCheckView(
            published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            scored.PrimaryCategory,
            scored.Scores.Novelty.Value,
            PaperQueries.NoveltyView(scored.Scores.Novelty, titles),
            scored.Scores.AiScore.Value,
            AiAssessmentView.From(scored.Scores.AiScore),
            NothingStored));
    }
}
