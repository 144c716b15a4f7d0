using System.Diagnostics;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>A paper's raw novelty under one candidate and its published score (cohort percentile).</summary>
public readonly record struct Scored(double? Raw, double? Percentile);

/// <summary>
/// The vector side of the harness: every corpus paper's strictly earlier neighbours, found once with the product's
/// exact index (same-work exclusion included) up to the largest k compared, then each candidate's raw values and
/// cohort percentiles. Probes (near-copies) are scored against the corpus without joining it, so one probe never
/// becomes another's or a real paper's neighbour.
/// </summary>
public sealed class NoveltyEvaluation : INeighbourhoods
{
    private readonly NoveltyIndex index;
    private readonly Dictionary<string, CorpusEntry> byId;
    private readonly Dictionary<string, IReadOnlyList<Near>> neighbours;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> vectors = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), Dictionary<string, Scored>> scored = [];
    private readonly Dictionary<(string, int), List<CohortPoint>> cohorts = [];

    /// <summary>Finds the neighbourhoods of every paper of <paramref name="corpus"/> up to <paramref name="maxK"/>.</summary>
    public NoveltyEvaluation(IReadOnlyList<CorpusEntry> corpus, int maxK, CohortRule rule)
    {
        Rule = rule;
        MaxK = maxK;
        index = new NoveltyIndex(new NoveltyOptions { NoveltyNeighbours = maxK, CohortDays = rule.WindowDays, MinimumCohort = rule.MinimumSize });
        index.Upsert(corpus, detectStale: false);
        Corpus = index.Snapshot();
        byId = Corpus.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var found = index.NearestMany(Corpus);
        SearchSeconds = watch.Elapsed.TotalSeconds;
        neighbours = new Dictionary<string, IReadOnlyList<Near>>(StringComparer.Ordinal);
        for (var i = 0; i < Corpus.Count; i++)
        {
            neighbours[Corpus[i].Id] = found[i];
        }
    }

    /// <summary>The corpus in date order.</summary>
    public IReadOnlyList<CorpusEntry> Corpus { get; }

    /// <summary>The cohort rule of the percentiles.</summary>
    public CohortRule Rule { get; }

    /// <summary>The largest k the neighbourhoods were found for.</summary>
    public int MaxK { get; }

    /// <summary>Wall time of the neighbour search over the whole corpus at <see cref="MaxK"/>.</summary>
    public double SearchSeconds { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Near>? Of(string id) => neighbours.GetValueOrDefault(id);

    /// <inheritdoc/>
    public float[] VectorOf(string id) => vectors.GetOrAdd(id, i => byId[i].Vector);

    /// <inheritdoc/>
    public Near[] Closest(CorpusEntry query, int top, DateOnly? from, DateOnly? to, Func<CorpusEntry, bool>? keep) =>
        index.Closest(query, top, from, to, keep);

    /// <summary>A corpus paper by id.</summary>
    public CorpusEntry Get(string id) => byId[id];

    /// <summary>The author keys of a corpus paper.</summary>
    public ulong[] AuthorsOf(string id) => byId[id].AuthorKeys;

    /// <summary>Every corpus paper's raw value and percentile under a candidate at k (computed once, then cached).</summary>
    public IReadOnlyDictionary<string, Scored> Score(NoveltyCandidate candidate, int k)
    {
        if (scored.TryGetValue((candidate.Name, k), out var done))
        {
            return done;
        }

        var raws = new double?[Corpus.Count];
        var at = candidate.FixedK ?? k;
        candidate.Prepare(this, at);
        Parallel.For(0, Corpus.Count, i => raws[i] = candidate.Raw(Truncate(candidate.Neighbours(Corpus[i], neighbours[Corpus[i].Id], at, this), at), at, this));
        var points = Corpus.Select((e, i) => new CohortPoint(e.Id, e.Published, e.Category, raws[i])).ToList();
        var ranked = HistoricalCohort.PercentileAll(points, Rule);
        var result = points.ToDictionary(p => p.Id, p => new Scored(p.Raw, ranked.TryGetValue(p.Id, out var r) ? r.Percentile : null), StringComparer.Ordinal);
        scored[(candidate.Name, k)] = result;
        cohorts[(candidate.Name, k)] = points;
        return result;
    }

    /// <summary>Wall time of a candidate's raw values and percentiles over the whole corpus (the search excluded).</summary>
    public double TimeDefinition(NoveltyCandidate candidate, int k)
    {
        scored.Remove((candidate.Name, k));
        var watch = Stopwatch.StartNew();
        Score(candidate, k);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>A probe's raw value and percentile against the corpus, as if it were published on its date.</summary>
    public Scored ScoreProbe(NoveltyCandidate candidate, int k, CorpusEntry probe)
    {
        Score(candidate, k);
        var near = index.Nearest(probe);
        var at = candidate.FixedK ?? k;
        var raw = candidate.Raw(Truncate(candidate.Neighbours(probe, near, at, this), at), at, this);
        return raw is null
            ? new Scored(null, null)
            : new Scored(raw, HistoricalCohort.Percentile(cohorts[(candidate.Name, k)], Rule, raw.Value, probe.Category, probe.Published).Percentile);
    }

    private static IReadOnlyList<Near> Truncate(IReadOnlyList<Near> list, int k) => list.Count <= k ? list : [.. list.Take(k)];

    private sealed record CohortPoint(string Id, DateOnly Published, string? Category, double? Raw) : ICohortMember;
}
