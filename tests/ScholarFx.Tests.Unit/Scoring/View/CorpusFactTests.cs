using ScholarFx.Core.Papers;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Tests.Unit.Scoring.Ai;
using ScholarFx.Validity;

namespace ScholarFx.Tests.Unit.Scoring.View;

public sealed class CorpusFactTests
{
    [Fact]
    public void AStoredScore_RestoresExactlyTheNumbersTheSettlerComputed_ThroughTheLogCodec()
    {
        // Every instance ranks the restored raw values; a rounded one would rank differently from the settler's own.
        var (index, entry) = LatestScored(seed: 3);
        var paper = PaperOf(entry) with { Scores = new PaperScores(NoveltyScorer.ScoreOf(index, entry, "model"), Score.NotScored) };

        var fact = CorpusFactCodec.Decode(CorpusFactCodec.Encode([CorpusFact.From(paper)]).Single()).Single();

        Assert.True(fact.NoveltySettled);
        Assert.Equal(entry.Raw!.Value, fact.NoveltyRaw!.Value); // bit for bit
        Assert.Equal(entry.Spacing!.Value, fact.Spacing!.Value);
        Assert.Equal(entry.Neighbours, fact.Neighbours);
        Assert.Equal(paper.Embedding!.Vector, fact.Vector); // half precision, as the paper holds it
        Assert.Equal(ScorePrint.Of(paper.Scores.Novelty), fact.NoveltyPrint);
    }

    [Fact]
    public void AProvisionalScore_IsNotSettled_AndItsFingerprintDiffersFromTheSettledOne()
    {
        var (index, entry) = LatestScored(seed: 4);
        var ranked = index.Percentile(entry.Raw!.Value, entry.Category, entry.Published);
        var provisional = NoveltyScorer.ScoreOf(index, entry, "model", ranked, provisional: true);
        var settled = NoveltyScorer.ScoreOf(index, entry, "model", ranked);

        var fact = CorpusFact.From(PaperOf(entry) with { Scores = new PaperScores(provisional, Score.NotScored) });

        Assert.False(fact.NoveltySettled);
        Assert.NotEqual(ScorePrint.Of(settled), ScorePrint.Of(provisional));
    }

    [Fact]
    public void TheFingerprint_IgnoresTheReferenceSetsSizeAndTheAssessorsProse_ButNotTheValue()
    {
        var a = Ai(70.1, "Summary one.", 120);
        Assert.Equal(ScorePrint.Of(a), ScorePrint.Of(Ai(70.1, "Another summary.", 121)));
        Assert.NotEqual(ScorePrint.Of(a), ScorePrint.Of(Ai(70.2, "Summary one.", 120)));

        static Score Ai(double value, string summary, int size) => new(value, null, "m", "v", System.Text.Json.JsonSerializer.SerializeToElement(
            new AiExplanation(summary, "Because.", new Rubric(50, 60, 70), 60, "m", "v", "hash", new ReferenceSet("category", "cs.LG", 365, size), null),
            ScholarFx.Core.ScholarFxJson.Options));
    }

    [Fact]
    public void ManyFacts_AreSplitIntoFramesUnderTheBlockLimit_AndDecodeInOrder()
    {
        var vector = Enumerable.Repeat(0.05f, 384).ToArray();
        var facts = Enumerable.Range(0, 5000).Select(i => new CorpusFact
        {
            Id = $"p{i}",
            Published = new DateOnly(2024, 1, 1).AddDays(i % 300),
            AuthorKeys = WorkKeys.Of(["a"]),
            AliasKeys = WorkKeys.Of([$"p{i}"]),
            EmbeddingModel = "m",
            Vector = vector,
        }).ToList();

        var frames = CorpusFactCodec.Encode(facts).ToList();

        Assert.True(frames.Count > 1);
        Assert.All(frames, f => Assert.True(f.Length <= ScholarFx.Core.Storage.CorpusLog.MaxFrameBytes));
        Assert.Equal(facts.Select(f => f.Id), frames.SelectMany(CorpusFactCodec.Decode).Select(f => f.Id));
    }

    [Fact]
    public void AFrameOfFormatOne_WithAuthorAndAliasNames_IsStillRead_AsTheirKeys()
    {
        // The layout format 1 wrote before authors and aliases became keys (a log written by the previous version).
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)1);
            w.Write(1);
            w.Write("p1");
            w.Write(new DateOnly(2025, 3, 1).DayNumber);
            w.Write(true);
            w.Write("cs.CL");
            w.Write(2);
            w.Write("ada");
            w.Write("grace");
            w.Write(1);
            w.Write("p1");
            w.Write(false); // no embedding model
            w.Write(-1); // no vector
            w.Write(false); // not settled
            w.Write(0);
            w.Write(0L);
            w.Write(false); // raw
            w.Write(false); // spacing
            w.Write(0); // neighbours
            w.Write(7UL);
            w.Write(false); // AI version
            w.Write(false); // rubric
            w.Write(false); // AI raw
            w.Write(9UL);
        }

        var fact = CorpusFactCodec.Decode(stream.ToArray()).Single();

        Assert.Equal("p1", fact.Id);
        Assert.Equal("cs.CL", fact.Category);
        Assert.Equal(WorkKeys.Of(["grace", "ada"]), fact.AuthorKeys);
        Assert.Equal(WorkKeys.Of(["p1"]), fact.AliasKeys);
        Assert.Equal((7UL, 9UL), (fact.NoveltyPrint, fact.AiPrint));
        // Formats before 3 carried no citation counts: unknown, not zero.
        Assert.Null(fact.Citations);
    }

    [Fact]
    public void ACitationCountAndARetraction_TravelThroughTheLog()
    {
        var (_, entry) = LatestScored(seed: 5);
        var paper = PaperOf(entry) with { Citations = 42, Retracted = true };

        var fact = CorpusFactCodec.Decode(CorpusFactCodec.Encode([CorpusFact.From(paper), CorpusFact.From(PaperOf(entry))]).Single()).ToList();

        Assert.Equal((42, true), (fact[0].Citations, fact[0].Retracted));
        Assert.Equal((null, false), (fact[1].Citations, fact[1].Retracted));
    }

    /// <summary>A planted corpus scored from scratch, and its latest paper with a raw value.</summary>
    private static (NoveltyIndex Index, CorpusEntry Entry) LatestScored(int seed)
    {
        var corpus = PlantedCorpus.Generate(topics: 4, derivativesPerTopic: 6, seed: seed).Select(p => p.Entry).ToList();
        var index = new NoveltyIndex(new NoveltyOptions { NoveltyNeighbours = 5 });
        index.Upsert(corpus, detectStale: false);
        NoveltyScorer.Recompute(index, corpus);
        return (index, corpus.Where(e => e.Raw is not null).OrderBy(e => e.Published).Last());
    }

    private static Paper PaperOf(CorpusEntry entry)
    {
        var paper = LocalAssessorTests.PaperOf("Title " + entry.Id, "Abstract " + entry.Id, entry.Id, entry.Published.ToString("yyyy-MM-dd"));
        return paper with { Embedding = new PaperEmbedding("model", paper.ContentHash, entry.Vector), Authors = [new PaperAuthor("a-" + entry.Id)] };
    }
}
