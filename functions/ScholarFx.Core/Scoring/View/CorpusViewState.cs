using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.View;

/// <summary>What the view knows of one paper besides its novelty index entry (which only embedded papers have).</summary>
public sealed class ViewMember
{
    public required DateOnly Published { get; set; }
    public string? Category { get; set; }

    /// <summary>The assessment's rubric when it is by the current assessor; else null (the paper needs assessing).</summary>
    public Rubric? Rubric { get; set; }

    /// <summary>Whether the paper has an embedding by the current model (else it is not in the index).</summary>
    public bool Embedded { get; set; }

    /// <summary>Fingerprints of the scores as stored (<see cref="ScorePrint"/>).</summary>
    public ulong NoveltyPrint { get; set; }

    public ulong AiPrint { get; set; }

    /// <summary>
    /// What settling last computed for this paper's novelty here, and the fingerprint it gave: the same inputs give the
    /// same score, so the next settling compares fingerprints without building the explanation again.
    /// </summary>
    internal (object Inputs, ulong Print)? NoveltyComputed { get; set; }

    /// <inheritdoc cref="NoveltyComputed"/>
    internal (object Inputs, ulong Print)? AiComputed { get; set; }
}

/// <summary>
/// The state of the shared corpus view in this process: the novelty index (embedded papers in date order), every
/// paper's scoring facts, the AI calibration, and the log position they are current to. Only
/// <see cref="CorpusView"/> hands it out, to one user at a time.
/// </summary>
public sealed class CorpusViewState(NoveltyOptions options, string embeddingModel, string aiVersion, CohortRule cohort)
{
    /// <summary>The embedded papers, in date order.</summary>
    public NoveltyIndex Index { get; } = new(options);

    /// <summary>Every paper the log has recorded, by id.</summary>
    public Dictionary<string, ViewMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The AI raw values of assessed papers (significance scaled for prior work), for the cohort percentile.</summary>
    public CalibrationSet Ai { get; } = new(cohort);

    /// <summary>The log position the state is current to.</summary>
    public LogPosition Position { get; set; } = LogPosition.Start;

    /// <summary>The embedding model whose vectors the index holds.</summary>
    public string EmbeddingModel { get; } = embeddingModel;

    /// <summary>The assessor whose rubrics count (<see cref="CorpusFact.AiVersionOf"/>).</summary>
    public string AiVersion { get; } = aiVersion;

    /// <summary>
    /// Applies facts read from the log up to <paramref name="position"/>, in log order. A paper whose vector, date,
    /// category, authors or aliases changed is (re)inserted and stale, and later papers whose neighbourhood that may
    /// change are marked stale; a paper whose shape is unchanged takes a settled neighbourhood only when it was computed
    /// from a view that had seen every change that made the paper stale (<see cref="CorpusFact.AsOf"/>), and is marked
    /// stale by a provisional one. A snapshot (<paramref name="detectStale"/> false) is a consistent state: its settled
    /// neighbourhoods are taken as they are.
    /// </summary>
    public void Apply(IReadOnlyList<CorpusFact> facts, LogPosition position, bool detectStale = true)
    {
        var inserted = new List<CorpusEntry>();
        var removed = new List<string>();
        foreach (var fact in facts)
        {
            var member = Members.TryGetValue(fact.Id, out var known) ? known : Members[fact.Id] = new ViewMember { Published = fact.Published };
            member.Published = fact.Published;
            member.Category = fact.Category;
            member.Rubric = fact.AiVersion == AiVersion ? fact.Rubric : null;
            member.NoveltyPrint = fact.NoveltyPrint;
            member.AiPrint = fact.AiPrint;
            member.Embedded = fact.Vector is not null && fact.EmbeddingModel == EmbeddingModel;
            Ai.Set(fact.Id, fact.Published, fact.Category, member.Rubric is null ? null : fact.AiRaw);
            if (!member.Embedded)
            {
                removed.Add(fact.Id);
                continue;
            }

            var existing = Index.Get(fact.Id);
            if (existing is not null && SameShape(existing, fact))
            {
                if (!fact.NoveltySettled)
                {
                    MarkStale(existing, position);
                }
                else if (fact.AsOf.CompareTo(existing.StaleSince) >= 0)
                {
                    TakeNeighbourhood(existing, fact);
                }

                continue;
            }

            var entry = new CorpusEntry
            {
                Id = fact.Id,
                Published = fact.Published,
                Category = fact.Category,
                Aliases = fact.Aliases.ToHashSet(StringComparer.Ordinal),
                AuthorIds = fact.Authors.ToHashSet(StringComparer.Ordinal),
                Vector = fact.Vector!,
            };
            if (fact.NoveltySettled && !detectStale)
            {
                TakeNeighbourhood(entry, fact);
                entry.StaleSince = position;
            }
            else
            {
                // A new or changed paper: whatever neighbourhood a fact carries, changes applied since are not in it.
                MarkStale(entry, position);
            }

            inserted.Add(entry);
        }

        if (removed.Count > 0)
        {
            foreach (var entry in Index.Remove(removed))
            {
                entry.StaleSince = position;
            }
        }

        foreach (var entry in Index.Upsert(inserted, detectStale))
        {
            entry.StaleSince = position;
        }
    }

    private static void MarkStale(CorpusEntry entry, LogPosition position)
    {
        entry.Stale = true;
        entry.StaleSince = position;
    }

    private static void TakeNeighbourhood(CorpusEntry entry, CorpusFact fact)
    {
        entry.Neighbours = fact.Neighbours;
        entry.Raw = fact.NoveltyRaw;
        entry.Spacing = fact.Spacing;
        entry.Stale = false;
    }

    private static bool SameShape(CorpusEntry entry, CorpusFact fact) =>
        entry.Published == fact.Published &&
        entry.Category == fact.Category &&
        entry.Vector.AsSpan().SequenceEqual(fact.Vector) &&
        entry.AuthorIds.SetEquals(fact.Authors) &&
        entry.Aliases.SetEquals(fact.Aliases);

    /// <summary>The facts that rebuild this state (for a snapshot).</summary>
    public IEnumerable<CorpusFact> Facts()
    {
        foreach (var (id, member) in Members)
        {
            var entry = Index.Get(id);
            yield return new CorpusFact
            {
                Id = id,
                Published = member.Published,
                Category = member.Category,
                Authors = entry is null ? [] : [.. entry.AuthorIds],
                Aliases = entry is null ? [id] : [.. entry.Aliases],
                EmbeddingModel = entry is null ? null : EmbeddingModel,
                Vector = entry?.Vector,
                NoveltySettled = entry is { Stale: false },
                AsOf = Position,
                NoveltyRaw = entry?.Raw,
                Spacing = entry?.Spacing,
                Neighbours = entry?.Neighbours ?? [],
                NoveltyPrint = member.NoveltyPrint,
                AiVersion = member.Rubric is null ? null : AiVersion,
                Rubric = member.Rubric,
                AiRaw = Ai.RawOf(id),
                AiPrint = member.AiPrint,
            };
        }
    }
}
