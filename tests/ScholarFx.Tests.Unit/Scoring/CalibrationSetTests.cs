using ScholarFx.Core.Scoring;

namespace ScholarFx.Tests.Unit.Scoring;

public sealed class CalibrationSetTests
{
    [Fact]
    public void SetMany_OfALargeBatchOutOfDateOrder_RanksExactlyAsSettingOneAtATime_WithRepeatsAndRemovals()
    {
        var random = new Random(3);
        var rule = new CohortRule(365, 20);
        var first = Enumerable.Range(0, 500).Select(i => Member(random, $"p{i}")).ToList();
        // A second batch: new values for 150 papers (some removed with a null raw), 100 new papers, one id twice.
        var second = first.Take(150).Select(m => m with { Raw = random.Next(5) == 0 ? null : random.NextDouble() })
            .Concat(Enumerable.Range(500, 100).Select(i => Member(random, $"p{i}")))
            .Append(first[0] with { Raw = 0.5, Published = new DateOnly(2024, 6, 1) })
            .ToList();

        var batched = new CalibrationSet(rule);
        batched.SetMany(first);
        batched.SetMany(second);
        var single = new CalibrationSet(rule);
        foreach (var (id, published, category, raw) in first.Concat(second))
        {
            single.Set(id, published, category, raw);
        }

        Assert.Equal(single.Count, batched.Count);
        Assert.Equal(0.5, batched.RawOf("p0"));
        Assert.Equal(single.PercentileAll().OrderBy(p => p.Key).ToList(), batched.PercentileAll().OrderBy(p => p.Key).ToList());
    }

    private static (string Id, DateOnly Published, string? Category, double? Raw) Member(Random random, string id) =>
        (id, new DateOnly(2024, 1, 1).AddDays(random.Next(700)), random.Next(2) == 0 ? "cs.CV" : "cs.CL", random.NextDouble());
}
