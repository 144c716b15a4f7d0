using ScholarFx.Core.Papers;

namespace ScholarFx.Tests.Unit.Papers;

/// <summary>An embedding is rounded to half precision when made, so what is stored in two bytes a component is exact.</summary>
public sealed class PaperEmbeddingTests
{
    private static float[] Vector(int seed) => [.. Enumerable.Range(0, 384).Select(i => (float)(Math.Sin((seed * 1000) + i) / 20))];

    [Fact]
    public void AVector_IsRoundedToHalfPrecision_AndItsTwoBytesAComponent_ReadBackExactly()
    {
        var raw = Vector(1);
        var embedding = new PaperEmbedding("m", "h", raw);

        Assert.NotEqual(raw, embedding.Vector);
        Assert.All(raw.Zip(embedding.Vector), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, (Math.Abs(p.First) / 1000) + 1e-7));
        var bytes = embedding.ToHalfBytes();
        Assert.Equal(768, bytes.Length);
        Assert.Equal(embedding.Vector, PaperEmbedding.FromHalfBytes(bytes));
        Assert.Equal(embedding.Vector, new PaperEmbedding("m", "h", PaperEmbedding.FromHalfBytes(bytes)).Vector);
    }

    [Fact]
    public void AVectorSetWithWith_IsRoundedToo()
    {
        var embedding = new PaperEmbedding("m", "h", Vector(1)) with { Vector = Vector(2) };

        Assert.Equal(PaperEmbedding.HalfPrecision(Vector(2)), embedding.Vector);
    }
}
