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
        var perPaper = MedianBytesPerPaper(frames =>
        {
            // What the index keeps of a paper: its 8-bit vector, date, category, same-work keys, neighbours and raw value.
            var index = new NoveltyIndex(Options);
            foreach (var frame in frames)
            {
                index.Upsert([.. CorpusFactCodec.Decode(frame).Select(Entry)], detectStale: false);
            }

            NoveltyScorer.Recompute(index, index.Snapshot());
            Assert.All(index.Snapshot().Skip(100), e => Assert.Equal(Options.NoveltyNeighbours, e.Nearest.Length));
            return index;
        });

        output.WriteLine($"novelty index: {perPaper:F0} bytes per paper ({Papers:N0} papers, 384 dimensions, settled)");
        Assert.InRange(perPaper, 384, 1024);
    }

    [Fact]
    public void TheWholeCorpusView_OfTenThousandPapers_WithTheAiCalibrationAndFingerprints_TakesAtMostOneAndAHalfKibibytesAPaper()
    {
        var perPaper = MedianBytesPerPaper(frames =>
        {
            // A cold load as an instance does it (frame by frame from the snapshot), then every neighbourhood settled.
            var state = new CorpusViewState(Options, "m", "ai", Options.Cohort);
            foreach (var frame in frames)
            {
                state.Apply(CorpusFactCodec.Decode(frame), LogPosition.Start, detectStale: false);
            }

            NoveltyScorer.Recompute(state.Index, state.Index.Snapshot());
            Assert.Equal(Papers, state.Members.Count);
            return state;
        });

        output.WriteLine($"corpus view: {perPaper:F0} bytes per paper ({Papers:N0} papers, 384 dimensions, settled)");
        Assert.InRange(perPaper, 384, 1536);
    }

    /// <summary>
    /// The heap a structure built from the snapshot frames keeps, per paper: the median of three builds, because work
    /// other tests left running can allocate or free between two measurements of one build.
    /// </summary>
    private double MedianBytesPerPaper(Func<IReadOnlyList<byte[]>, object> build)
    {
        var frames = CorpusFactCodec.Encode(Facts(Papers)).ToList();
        var measured = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            measured.Add(BytesPerPaper(frames, build));
        }

        output.WriteLine($"three builds: {string.Join(", ", measured.Select(m => m.ToString("F0")))} bytes per paper");
        GC.KeepAlive(frames);
        return measured.Order().ElementAt(1);
    }

    /// <summary>One build's heap per paper; in a method of its own so nothing of the build outlives it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double BytesPerPaper(IReadOnlyList<byte[]> frames, Func<IReadOnlyList<byte[]>, object> build)
    {
        var before = Heap.Retained();
        var built = build(frames);
        var after = Heap.Retained();
        GC.KeepAlive(built);
        return (after - before) / (double)Papers;
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
}
