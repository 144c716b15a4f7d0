using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.View;

/// <summary>What the view knows of one paper besides its novelty index entry (which only embedded papers have).</summary>
public sealed class ViewMember
{
    public required DateOnly Published { get; set; }
    public string? Category { get; set; }

    private double significance, evidence, clarity;
    private bool assessed;

    /// <summary>The assessment's rubric when it is by the current assessor; else null (the paper needs assessing).</summary>
    public Rubric? Rubric
    {
        // Kept as three numbers rather than an object: one fewer object per paper (docs/scale.md).
        get => assessed ? new Rubric(significance, evidence, clarity) : null;
        set => (assessed, significance, evidence, clarity) = value is { } r ? (true, r.Significance, r.Evidence, r.Clarity) : (false, 0, 0, 0);
    }

    /// <summary>Whether the paper has an embedding by the current model (else it is not in the index).</summary>
    public bool Embedded { get; set; }

    /// <summary>The paper's citation count as stored; null when no source gave one.</summary>
    public int? Citations
    {
        get => citations < 0 ? null : citations;
        set => citations = value ?? -1;
    }

    /// <summary>Retracted by a source (out of every cohort of citations).</summary>
    public bool Retracted { get; set; }

    // An int, not an int?: the view keeps one member per paper (docs/scale.md).
    private int citations = -1;

    /// <summary>Fingerprints of the scores as stored (<see cref="ScorePrint"/>).</summary>
    public ulong NoveltyPrint { get; set; }

    public ulong AiPrint { get; set; }

    public ulong PioneerPrint { get; set; }

    /// <summary>
    /// A hash of the inputs settling last computed this paper's novelty from here (<see cref="Fnv64"/>; 0 for none),
    /// and the fingerprint it gave: the same inputs give the same score, so the next settling compares fingerprints
    /// without building the explanation again.
    /// </summary>
    internal (ulong Inputs, ulong Print) NoveltyComputed { get; set; }

    /// <inheritdoc cref="NoveltyComputed"/>
    internal (ulong Inputs, ulong Print) AiComputed { get; set; }

    /// <inheritdoc cref="NoveltyComputed"/>
    internal (ulong Inputs, ulong Print) PioneerComputed { get; set; }
}

/// <summary>
/// The state of the shared corpus view in this process: the novelty index (embedded papers in date order), every
/// paper's scoring facts, the AI calibration, and the log position they are current to. Only
/// <see cref="CorpusView"/> hands it out, to one user at a time.
/// </summary>
public sealed class CorpusViewState(NoveltyOptions options, string embeddingModel, string aiVersion, CohortRule cohort)
{
    private readonly Dictionary<string, string> categories = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> aliasKeys = [];

    /// <summary>The embedded papers, in date order.</summary>
    public NoveltyIndex Index { get; } = new(options);

    /// <summary>Every paper the log has recorded, by id.</summary>
    public Dictionary<string, ViewMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The AI raw values of assessed papers (significance scaled for prior work), for the cohort percentile.</summary>
    public CalibrationSet Ai { get; } = new(cohort);

    /// <summary>
    /// Whether a paper the log has recorded may give <paramref name="alias"/> (its id or any other id): false means
    /// none does, so ingest need not look the alias up (a paper stored meanwhile by an instance whose facts this view has
    /// not read yet is still found, by the alias claim before the paper is written). Keys are 64-bit, so a false true is
    /// possible (a lookup that finds nothing) and a false false is not.
    /// </summary>
    public bool MayHold(string alias) => aliasKeys.Contains(WorkKeys.Key(alias));

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
        // A snapshot's neighbourhoods are taken after its inserts: a neighbour may come later in the same frame.
        var settled = new List<(CorpusEntry Entry, CorpusFact Fact)>();
        var calibration = new List<(string, DateOnly, string?, double?)>(facts.Count);
        foreach (var fact in facts)
        {
            var member = Members.TryGetValue(fact.Id, out var known) ? known : Members[fact.Id] = new ViewMember { Published = fact.Published };
            aliasKeys.Add(WorkKeys.Key(fact.Id));
            aliasKeys.UnionWith(fact.AliasKeys);
            var category = Intern(fact.Category);
            member.Published = fact.Published;
            member.Category = category;
            member.Rubric = fact.AiVersion == AiVersion ? fact.Rubric : null;
            member.NoveltyPrint = fact.NoveltyPrint;
            member.AiPrint = fact.AiPrint;
            member.PioneerPrint = fact.PioneerPrint;
            member.Embedded = fact.Vector is not null && fact.EmbeddingModel == EmbeddingModel;
            member.Citations = fact.Citations;
            member.Retracted = fact.Retracted;
            calibration.Add((fact.Id, fact.Published, category, member.Rubric is null ? null : fact.AiRaw));
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
                    TakeNeighbourhood(existing, fact, position);
                }

                continue;
            }

            var entry = new CorpusEntry
            {
                Id = fact.Id,
                Published = fact.Published,
                Category = category,
                AliasKeys = WorkKeys.Sorted(fact.AliasKeys),
                AuthorKeys = WorkKeys.Sorted(fact.AuthorKeys),
                Vector = fact.Vector!,
            };
            // A new or changed paper: whatever neighbourhood a fact carries, changes applied since are not in it. A
            // snapshot is consistent, so its settled neighbourhoods are taken as they are.
            MarkStale(entry, position);
            if (fact.NoveltySettled && !detectStale)
            {
                settled.Add((entry, fact));
            }

            inserted.Add(entry);
        }

        Ai.SetMany(calibration);
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

        foreach (var (entry, fact) in settled)
        {
            TakeNeighbourhood(entry, fact, position);
        }
    }

    /// <summary>One string per category name: a million papers share a few dozen names.</summary>
    private string? Intern(string? category)
    {
        if (category is null)
        {
            return null;
        }

        if (!categories.TryGetValue(category, out var known))
        {
            categories[category] = known = category;
        }

        return known;
    }

    private static void MarkStale(CorpusEntry entry, LogPosition position)
    {
        entry.Stale = true;
        entry.StaleSince = position;
    }

    /// <summary>Takes a settled neighbourhood from a fact; one naming a paper the index lacks makes the entry stale.</summary>
    private void TakeNeighbourhood(CorpusEntry entry, CorpusFact fact, LogPosition position)
    {
        if (Index.Resolve(fact.Neighbours) is not { } nearest)
        {
            MarkStale(entry, position);
            return;
        }

        entry.Nearest = nearest;
        entry.Raw = fact.NoveltyRaw;
        entry.Spacing = fact.Spacing;
        entry.Stale = false;
    }

    private static bool SameShape(CorpusEntry entry, CorpusFact fact) =>
        entry.Published == fact.Published &&
        entry.Category == fact.Category &&
        entry.Holds(fact.Vector) &&
        entry.AuthorKeys.AsSpan().SequenceEqual(WorkKeys.Sorted(fact.AuthorKeys)) &&
        entry.AliasKeys.AsSpan().SequenceEqual(WorkKeys.Sorted(fact.AliasKeys));

    /// <summary>The citation counts of every paper that has one (retracted papers left out), by primary category and year.</summary>
    public CitationCohorts CitationCohorts() =>
        View.CitationCohorts.From(Members.Values.Where(m => m is { Citations: not null, Retracted: false }).Select(m => (m.Category, m.Published.Year, m.Citations!.Value)));

    /// <summary>
    /// The facts that rebuild this state (for a snapshot), embedded papers in date order first: a neighbour is always
    /// earlier, so a snapshot applied frame by frame finds every neighbourhood's papers already loaded.
    /// </summary>
    public IEnumerable<CorpusFact> Facts()
    {
        var embedded = Index.Snapshot();
        var ids = embedded.Select(e => e.Id).Concat(Members.Keys.Where(id => Index.Get(id) is null));
        foreach (var id in ids)
        {
            var member = Members[id];
            var entry = Index.Get(id);
            yield return new CorpusFact
            {
                Id = id,
                Published = member.Published,
                Category = member.Category,
                AuthorKeys = entry?.AuthorKeys ?? [],
                AliasKeys = entry?.AliasKeys ?? WorkKeys.Of([id]),
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
                PioneerPrint = member.PioneerPrint,
                Citations = member.Citations,
                Retracted = member.Retracted,
            };
        }
    }
}
