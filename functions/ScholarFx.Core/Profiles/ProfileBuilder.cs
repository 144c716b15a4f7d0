using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// Rebuilds an author's aggregate row from the author's partition: figures recomputed from every paper row,
/// the first page of the profile rendered to JSON, written with an ETag check and retried when another
/// writer got there first, so concurrent ingests of one author never lose or double-count a paper.
/// </summary>
public sealed class ProfileBuilder(IAuthorStore authors, ScoringPipeline scoring, IOptions<ProfileOptions> options, TimeProvider clock, ILogger<ProfileBuilder> logger)
{
    private const int MaxAttempts = 20;

    /// <summary>Rebuilds one profile; true when the stored aggregate changed.</summary>
    public async Task<bool> RebuildAsync(string authorId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Read the aggregate (and its ETag) before the partition: a writer that changes rows after this
            // read also rewrites the aggregate, which makes our conditional write fail and retry.
            var existing = await authors.GetAggregateAsync(authorId, cancellationToken).ConfigureAwait(false);
            var partition = await authors.ReadPartitionAsync(authorId, options.Value.PageSize, cancellationToken).ConfigureAwait(false);
            if (partition.All.Count == 0)
            {
                if (existing is null || await authors.TryDeleteAggregateAsync(existing, cancellationToken).ConfigureAwait(false))
                {
                    return existing is not null;
                }

                continue;
            }

            var (json, tag, view) = Render(authorId, partition);
            if (existing is not null && existing.ContentTag == tag)
            {
                return false;
            }

            var aggregate = new StoredAggregate(authorId, view.Name, json, tag, view.PaperCount, view.PrimaryCategory, default);
            if (await authors.TryWriteAggregateAsync(aggregate, existing, cancellationToken).ConfigureAwait(false))
            {
                if (existing is null || existing.Name != view.Name || existing.PaperCount != view.PaperCount || existing.PrimaryCategory != view.PrimaryCategory)
                {
                    await authors.IndexNameAsync(new NameHit(authorId, view.Name, view.PaperCount, view.PrimaryCategory), cancellationToken).ConfigureAwait(false);
                }

                return true;
            }

            logger.LogDebug("Profile {AuthorId} changed while rebuilding; attempt {Attempt}", authorId, attempt);
            // Back off a little with jitter so many concurrent rebuilders of one author converge.
            await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Profile {authorId} could not be written after {MaxAttempts} attempts (constant concurrent updates).");
    }

    private (string Json, string Tag, ProfileView View) Render(string authorId, AuthorPartition partition)
    {
        var figures = ProfileAggregator.Compute(authorId, partition.All);
        var newest = partition.All.OrderByDescending(p => p.Published).First();
        var view = new ProfileView
        {
            Id = authorId,
            Name = newest.AuthorName,
            PrimaryCategory = figures.PrimaryCategory,
            HIndex = figures.HIndex,
            I10Index = figures.I10Index,
            PaperCount = figures.PaperCount,
            CitationCount = figures.CitationCount,
            Novelty = figures.Novelty,
            AiScore = figures.AiScore,
            ScoredPaperCount = figures.ScoredPaperCount,
            AiScoredPaperCount = figures.AiScoredPaperCount,
            FirstPublished = ProfileAggregator.Iso(figures.FirstPublished),
            LastPublished = ProfileAggregator.Iso(figures.LastPublished),
            CoAuthors = figures.CoAuthors,
            Papers = [.. partition.FirstPage.Papers.Select(PaperSummaryView.From)],
            NextPapers = Cursor.Encode(partition.FirstPage.ContinuationToken) is { } cursor
                ? $"/api/profiles/{Uri.EscapeDataString(authorId)}/papers?cursor={cursor}"
                : null,
            Scoring = new ScoringView(scoring.ModelOf(ScoreKind.Novelty), scoring.ModelOf(ScoreKind.AiScore)),
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        // The tag covers the content, not the time of the rebuild, so an unchanged profile keeps its ETag.
        var content = JsonSerializer.Serialize(view, ScholarFxJson.Options);
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];
        var stamped = view with { UpdatedAt = TruncateToSeconds(clock.GetUtcNow()) };
        return (JsonSerializer.Serialize(stamped, ScholarFxJson.Options), tag, stamped);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
