using ScholarFx.Validity;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Tests.Unit.Scoring.Novelty;

public sealed class NoveltyIndexTests
{
    private static readonly NoveltyOptions Options = new() { NoveltyNeighbours = 5, MinimumCohort = 20 };

    [Fact]
    public void Nearest_EqualsANaiveScanOfStrictlyEarlierPapers()
    {
        var corpus = PlantedCorpus.Generate(topics: 12, derivativesPerTopic: 10, seed: 7).Select(p => p.Entry).ToList();
        var index = new NoveltyIndex(Options);
        index.Upsert(corpus);

        foreach (var paper in corpus)
        {
            var expected = corpus
                .Where(c => c.Published < paper.Published)
                .Select(c => (c.Id, Similarity: (double)paper.Similarity(c)))
                .OrderByDescending(c => c.Similarity).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Take(5)
                .ToList();

            var actual = index.Nearest(paper);

            Assert.Equal(expected.Select(e => e.Id), actual.Select(n => n.Id));
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Similarity, pair.Second.Similarity, 6));
        }
    }

    [Fact]
    public void Upsert_OfALargeBatchOutOfDateOrder_KeepsTheSameDateOrderAsOneAtATime_WithReplacementsAndRepeats()
    {
        var random = new Random(4);
        var corpus = PlantedCorpus.Generate(topics: 10, derivativesPerTopic: 20, seed: 4).Select(p => p.Entry).OrderBy(_ => random.Next()).ToList();
        // Later versions of 80 papers, moved in time, and one id given twice in the batch (the last wins).
        var moved = corpus.Take(80).Select(e => PlantedCorpus.Entry(e.Id, e.Published.AddDays(random.Next(-200, 200)), e.Category, e.Vector)).ToList();
        var twice = PlantedCorpus.Entry(corpus[0].Id, new DateOnly(2019, 1, 1), "cs.LG", corpus[0].Vector);

        var merged = new NoveltyIndex(Options);
        merged.Upsert(corpus, detectStale: false);
        merged.Upsert([.. moved, twice], detectStale: false);
        var single = new NoveltyIndex(Options);
        foreach (var entry in corpus.Concat(moved).Append(twice))
        {
            single.Upsert([entry], detectStale: false);
        }

        var order = merged.Snapshot();
        Assert.Equal(corpus.Count, order.Count);
        Assert.Equal(single.Snapshot().Select(e => e.Id), order.Select(e => e.Id));
        Assert.Equal(order.OrderBy(e => e.Published).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id), order.Select(e => e.Id));
        Assert.Same(twice, merged.Get(twice.Id));
        Assert.Equal(single.Nearest(order[^1]).Select(n => n.Id), merged.Nearest(order[^1]).Select(n => n.Id));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(384)]
    [InlineData(20)]
    public void NearestMany_GivesExactlyWhatNearestGives(int dimensions)
    {
        var random = new Random(dimensions);
        var corpus = PlantedCorpus.Generate(topics: 20, derivativesPerTopic: 15, seed: dimensions, dimensions: dimensions)
            .Select((p, i) => PlantedCorpus.Entry(p.Entry.Id, p.Entry.Published, p.Entry.Category, p.Entry.Vector,
                // Some papers share authors so near-identical ones count as the same work and are skipped.
                authors: [$"author-{i % 7}"], aliases: i % 11 == 0 ? ["doi:shared"] : null))
            .ToList();
        // A few exact duplicates by the same author: the blocked path must fall back when they eat its margin.
        corpus.AddRange(Enumerable.Range(0, 6).Select(i => PlantedCorpus.Entry($"dup{i}", corpus[5].Published.AddDays(i + 1), "cs.LG", corpus[5].Vector, ["author-5"])));
        var index = new NoveltyIndex(Options);
        index.Upsert(corpus, detectStale: false);

        var bulk = index.NearestMany(corpus);

        for (var i = 0; i < corpus.Count; i++)
        {
            Assert.Equal(index.Nearest(corpus[i]), bulk[i]);
        }
    }

    [Fact]
    public void PercentileAll_GivesExactlyWhatPercentileGivesForEachPaper()
    {
        var random = new Random(17);
        var categories = new[] { "cs.LG", "cs.CL", "hep-th" };
        var entries = Enumerable.Range(0, 400).Select(i =>
        {
            var e = PlantedCorpus.Entry($"p{i}", new DateOnly(2022, 1, 1).AddDays(random.Next(900)), categories[random.Next(3)], PlantedCorpus.RandomUnit(random, 8));
            // Coarse values so ties happen; some papers have no raw value.
            e.Raw = i % 13 == 0 ? null : Math.Round(random.NextDouble(), 2);
            return e;
        }).ToList();
        var index = new NoveltyIndex(new NoveltyOptions { MinimumCohort = 20, CohortDays = 150 });
        index.Upsert(entries, detectStale: false);

        var all = index.PercentileAll();

        var sets = new HashSet<string>();
        foreach (var e in entries.Where(e => e.Raw.HasValue))
        {
            var one = index.Percentile(e.Raw!.Value, e.Category, e.Published);
            Assert.Equal(one, all[e.Id]);
            sets.Add(one.Reference?.Set ?? "none");
        }

        Assert.Superset(new HashSet<string> { "category", "all-categories", "all-earlier" }, sets);
    }

    [Fact]
    public void Nearest_IgnoresPapersOfTheSameDayAndLater()
    {
        var random = new Random(3);
        var day = new DateOnly(2024, 5, 5);
        var index = new NoveltyIndex(Options);
        var paper = PlantedCorpus.Entry("p", day, "cs.LG", PlantedCorpus.RandomUnit(random, 16));
        index.Upsert([paper, PlantedCorpus.Entry("same-day", day, "cs.LG", paper.Vector), PlantedCorpus.Entry("later", day.AddDays(1), "cs.LG", paper.Vector)]);

        Assert.Empty(index.Nearest(paper));
    }

    [Fact]
    public void Nearest_ExcludesTheSameWork_ByAliasOrNearIdenticalTextWithASharedAuthor()
    {
        var random = new Random(5);
        var vector = PlantedCorpus.RandomUnit(random, 16);
        var paper = PlantedCorpus.Entry("p", new DateOnly(2024, 1, 10), "cs.LG", vector, ["ann"], ["doi:10.1/x"]);
        var index = new NoveltyIndex(Options);
        index.Upsert([
            paper,
            PlantedCorpus.Entry("preprint", new DateOnly(2023, 1, 1), "cs.LG", vector, ["bob"], ["doi:10.1/x"]),
            PlantedCorpus.Entry("copy", new DateOnly(2023, 2, 1), "cs.LG", vector, ["ann"]),
            PlantedCorpus.Entry("other-authors", new DateOnly(2023, 3, 1), "cs.LG", vector, ["carl"]),
        ]);

        var neighbours = index.Nearest(paper);

        Assert.Equal(["other-authors"], neighbours.Select(n => n.Id));
    }

    [Fact]
    public void Raw_IsNull_WithFewerThanKNeighbours_AndTheNearestDistanceOverTheNeighboursSpacingOtherwise()
    {
        // Five earlier papers on orthogonal axes: every pair of them is at cosine distance 1, so the spacing is 1.
        var index = new NoveltyIndex(new NoveltyOptions { NoveltyNeighbours = 5 });
        var axes = Enumerable.Range(0, 5).Select(i => PlantedCorpus.Entry($"n{i}", new DateOnly(2020, 1, 1), "cs.LG", Axis(i, 8))).ToList();
        index.Upsert(axes);
        var neighbours = Enumerable.Range(0, 5).Select(i => new Near(index.Get($"n{i}")!, (float)(0.9 - (0.1 * i)))).ToList();

        var measure = index.Measure(neighbours)!;

        Assert.Null(index.Raw(neighbours.Take(4).ToList()));
        Assert.Equal(1.0, measure.Spacing, 6);
        Assert.Equal(1 - 0.9, measure.NearestDistance, 6);
        Assert.Equal(measure.NearestDistance / measure.Spacing, index.Raw(neighbours)!.Value, 12);
    }

    [Fact]
    public void Raw_OfANearCopy_IsAboutZero_AndOfAPaperInATightClusterIsNotPenalisedForTheCluster()
    {
        // The same nearest distance counts for more where earlier papers lie far apart than where they crowd together.
        var random = new Random(3);
        var centre = PlantedCorpus.RandomUnit(random, 64);
        var index = new NoveltyIndex(new NoveltyOptions { NoveltyNeighbours = 5 });
        var tight = Enumerable.Range(0, 5).Select(i => PlantedCorpus.Entry($"tight{i}", new DateOnly(2020, 1, 1), "cs.LG", PlantedCorpus.Jitter(random, centre, 0.2))).ToList();
        index.Upsert(tight);
        var copy = PlantedCorpus.Entry("copy", new DateOnly(2021, 1, 1), "cs.LG", tight[0].Vector);
        var member = PlantedCorpus.Entry("member", new DateOnly(2021, 1, 1), "cs.LG", PlantedCorpus.Jitter(random, centre, 0.2));

        var copyRaw = index.Raw(index.Nearest(copy))!.Value;
        var memberRaw = index.Raw(index.Nearest(member))!.Value;

        Assert.InRange(copyRaw, 0, 1e-6);
        // A typical member of the cluster sits about as far from its nearest as the members sit from each other.
        Assert.InRange(memberRaw, 0.4, 1.5);
    }

    private static float[] Axis(int i, int dimensions)
    {
        var v = new float[dimensions];
        v[i] = 1;
        return v;
    }

    [Fact]
    public void Percentile_UsesTheCategoryWindow_WhenItHoldsEnoughPapers()
    {
        var index = CohortIndex(categoryPapers: 30, otherPapers: 30);

        var (_, reference) = index.Percentile(0.5, "cs.LG", new DateOnly(2025, 1, 1));

        Assert.Equal(new ReferenceSet("category", "cs.LG", 365, 30), reference);
    }

    [Fact]
    public void Percentile_WidensToAllCategories_ThenToAllEarlierPapers()
    {
        var widened = CohortIndex(categoryPapers: 10, otherPapers: 15).Percentile(0.5, "cs.LG", new DateOnly(2025, 1, 1)).Reference;
        var allEarlier = CohortIndex(categoryPapers: 5, otherPapers: 5, oldPapers: 40).Percentile(0.5, "cs.LG", new DateOnly(2025, 1, 1)).Reference;

        Assert.Equal(new ReferenceSet("all-categories", null, 365, 25), widened);
        Assert.Equal(new ReferenceSet("all-earlier", null, null, 50), allEarlier);
    }

    private static NoveltyIndex CohortIndex(int categoryPapers, int otherPapers, int oldPapers = 0)
    {
        var random = new Random(11);
        var index = new NoveltyIndex(Options);
        var entries = new List<CorpusEntry>();
        void Add(string id, DateOnly date, string category)
        {
            var e = PlantedCorpus.Entry(id, date, category, PlantedCorpus.RandomUnit(random, 8));
            e.Raw = random.NextDouble();
            entries.Add(e);
        }

        for (var i = 0; i < categoryPapers; i++)
        {
            Add($"c{i}", new DateOnly(2024, 6, 1).AddDays(i), "cs.LG");
        }

        for (var i = 0; i < otherPapers; i++)
        {
            Add($"o{i}", new DateOnly(2024, 6, 1).AddDays(i), "hep-th");
        }

        for (var i = 0; i < oldPapers; i++)
        {
            Add($"old{i}", new DateOnly(2020, 1, 1).AddDays(i), "cs.LG");
        }

        // A paper on the day itself is not in its own history.
        Add("same-day", new DateOnly(2025, 1, 1), "cs.LG");
        index.Upsert(entries, detectStale: false);
        return index;
    }
}
