using System.Runtime;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Storage;
using ScholarFx.Validity;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Unit.Scoring.View;

/// <summary>Alone: the test measures the managed heap, which other tests running beside it would disturb.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "heap measurement";
}

[Collection(HeapMeasurementCollection.Name)]
public sealed class CorpusViewMemoryTests(ITestOutputHelper output)
{
    private const int Papers = 10_000;
    private static readonly NoveltyOptions Options = new();

    [Fact]
    public void TheNoveltyIndex_OfTenThousandPapersAt384Dimensions_WithSettledNeighbourhoods_TakesAtMostOneKibibyteAPaper()
    {
        var frames = CorpusFactCodec.Encode(Facts(Papers)).ToList();
        var before = Retained();

        // What the index keeps of a paper: its 8-bit vector, date, category, same-work keys, neighbours and raw value.
        var index = new NoveltyIndex(Options);
        foreach (var frame in frames)
        {
            index.Upsert([.. CorpusFactCodec.Decode(frame).Select(Entry)], detectStale: false);
        }

        NoveltyScorer.Recompute(index, index.Snapshot());
        var after = Retained();

        var perPaper = (after - before) / (double)Papers;
        output.WriteLine($"novelty index: {perPaper:F0} bytes per paper ({Papers:N0} papers, 384 dimensions, settled)");
        Assert.All(index.Snapshot().Skip(100), e => Assert.Equal(Options.NoveltyNeighbours, e.Nearest.Length));
        Assert.InRange(perPaper, 384, 1024);
        GC.KeepAlive(frames);
        GC.KeepAlive(index);
    }

    [Fact]
    public void TheWholeCorpusView_OfTenThousandPapers_WithTheAiCalibrationAndFingerprints_TakesAtMostOneAndAHalfKibibytesAPaper()
    {
        var frames = CorpusFactCodec.Encode(Facts(Papers)).ToList();
        var before = Retained();

        // A cold load as an instance does it (frame by frame from the snapshot), then every neighbourhood settled.
        var state = new CorpusViewState(Options, "m", "ai", Options.Cohort);
        foreach (var frame in frames)
        {
            state.Apply(CorpusFactCodec.Decode(frame), LogPosition.Start, detectStale: false);
        }

        NoveltyScorer.Recompute(state.Index, state.Index.Snapshot());
        var after = Retained();

        var perPaper = (after - before) / (double)Papers;
        output.WriteLine($"corpus view: {perPaper:F0} bytes per paper ({Papers:N0} papers, 384 dimensions, settled)");
        Assert.Equal(Papers, state.Members.Count);
        Assert.InRange(perPaper, 384, 1536);
        GC.KeepAlive(frames);
        GC.KeepAlive(state);
    }

    // The view hands the index one string per category name (CorpusViewState interns them); so does this test.
    private static CorpusEntry Entry(CorpusFact fact) => new()
    {
        Id = fact.Id,
        Published = fact.Published,
        Category = Categories.Single(c => c == fact.Category),
        AliasKeys = [.. fact.AliasKeys],
        AuthorKeys = [.. fact.AuthorKeys],
        Vector = fact.Vector!,
    };

    // Shared names, as an instance interns them when it decodes the log.
    private static readonly string[] Categories = ["cs.CV", "cs.CL"];

    private static IEnumerable<CorpusFact> Facts(int count)
    {
        var random = new Random(11);
        var topics = Enumerable.Range(0, 50).Select(_ => PlantedCorpus.RandomUnit(random, 384)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var topic = topics[random.Next(topics.Length)];
            var vector = topic.Select(x => x + (float)((random.NextDouble() - 0.5) * 0.1)).ToArray();
            var norm = MathF.Sqrt(vector.Sum(x => x * x));
            yield return new CorpusFact
            {
                Id = $"2501.{i:D5}",
                Published = new DateOnly(2024, 1, 1).AddDays(random.Next(700)),
                Category = Categories[random.Next(2)],
                AuthorKeys = WorkKeys.Of(Enumerable.Range(0, 4).Select(_ => $"author-{random.Next(3000)}")),
                AliasKeys = WorkKeys.Of([$"2501.{i:D5}", $"doi:10.1/{i}"]),
                EmbeddingModel = "m",
                Vector = [.. vector.Select(x => x / norm)],
                AiVersion = "ai",
                Rubric = new Rubric(random.Next(101), random.Next(101), random.Next(101)),
                AiRaw = random.Next(101),
            };
        }
    }

    /// <summary>Live managed memory after full, compacting collections (the large object heap included).</summary>
    private static long Retained()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
