using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Validity;

namespace ScholarFx.Tests.Unit.Scoring.Novelty;

public sealed class Int8VectorTests
{
    [Theory]
    [InlineData(384)]
    [InlineData(37)]
    [InlineData(5)]
    public void Dot_IsTheExactIntegerDotProduct_WhateverTheLength(int dimensions)
    {
        var random = new Random(dimensions);
        var a = Enumerable.Range(0, dimensions).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var b = Enumerable.Range(0, dimensions).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

        var expected = a.Zip(b).Sum(p => p.First * p.Second);

        Assert.Equal(expected, Int8Vector.Dot(a, b));
    }

    [Fact]
    public void Dot_OfTheLargestCodes_DoesNotOverflow()
    {
        var a = Enumerable.Repeat((sbyte)-127, 4096).ToArray();

        Assert.Equal(127 * 127 * 4096, Int8Vector.Dot(a, a));
    }

    [Fact]
    public void Similarity_IsCloseToTheFullPrecisionCosine_AndOneForThePaperItself()
    {
        var random = new Random(5);
        for (var i = 0; i < 50; i++)
        {
            var x = PlantedCorpus.RandomUnit(random, 384);
            var y = PlantedCorpus.RandomUnit(random, 384).Zip(x, (r, s) => s + (0.5f * r)).ToArray();
            var norm = MathF.Sqrt(y.Sum(v => v * v));
            y = [.. y.Select(v => v / norm)];
            var (cx, nx) = Int8Vector.Quantize(x);
            var (cy, ny) = Int8Vector.Quantize(y);

            var exact = x.Zip(y).Sum(p => (double)p.First * p.Second);

            Assert.Equal(exact, Int8Vector.Similarity(cx, nx, cy, ny), 2);
            Assert.Equal(1.0, Int8Vector.Similarity(cx, nx, cx, nx), 6);
        }
    }

    [Fact]
    public void Quantize_OfADecodedVector_GivesTheSameCodes_SoASnapshotReloadsTheSameIndex()
    {
        var vector = PlantedCorpus.RandomUnit(new Random(9), 384);
        var (codes, inverseNorm) = Int8Vector.Quantize(vector);
        var decoded = new float[384];
        Int8Vector.Decode(codes, inverseNorm, decoded);

        var (again, againNorm) = Int8Vector.Quantize(decoded);

        Assert.Equal(codes, again);
        Assert.Equal(inverseNorm, againNorm);
    }

    [Fact]
    public void Quantize_OfAZeroVector_HasNoNorm_AndComparesAsZero()
    {
        var (zero, norm) = Int8Vector.Quantize(new float[8]);
        var (other, otherNorm) = Int8Vector.Quantize([1, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(0f, norm);
        Assert.Equal(0f, Int8Vector.Similarity(zero, norm, other, otherNorm));
    }

    [Fact]
    public void Dot_OfVectorsOfDifferentLengths_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Int8Vector.Dot(new sbyte[3], new sbyte[4]));
    }
}
