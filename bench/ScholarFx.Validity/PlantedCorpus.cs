using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>A generated paper with its planted role.</summary>
public sealed record PlantedPaper(CorpusEntry Entry, int Topic, bool Founding);

/// <summary>
/// Synthetic corpora with planted structure, as vectors (clearly not a language model): each topic is opened by a
/// founding paper in a fresh direction and followed by derivative papers close to it and to each other.
/// </summary>
public static class PlantedCorpus
{
    public static List<PlantedPaper> Generate(int topics, int derivativesPerTopic, int seed, int dimensions = 64, double derivativeNoise = 0.35)
    {
        var random = new Random(seed);
        var start = new DateOnly(2020, 1, 1);
        var papers = new List<PlantedPaper>();
        for (var t = 0; t < topics; t++)
        {
            var centre = RandomUnit(random, dimensions);
            // Topics open at different times; derivatives follow their founding paper.
            var founded = start.AddDays(t * 20 + random.Next(10));
            papers.Add(new PlantedPaper(Entry($"t{t}-founding", founded, "cs.LG", Jitter(random, centre, 0.05)), t, true));
            for (var d = 0; d < derivativesPerTopic; d++)
            {
                var date = founded.AddDays(1 + random.Next(400));
                papers.Add(new PlantedPaper(Entry($"t{t}-d{d}", date, "cs.LG", Jitter(random, centre, derivativeNoise)), t, false));
            }
        }

        return papers;
    }

    public static CorpusEntry Entry(string id, DateOnly published, string? category, float[] vector, string[]? authors = null, string[]? aliases = null) =>
        WithKeys(id, published, category, vector, WorkKeys.Of(authors ?? ["a-" + id]), WorkKeys.Of((aliases ?? []).Append(id)));

    public static CorpusEntry Copy(CorpusEntry e) => WithKeys(e.Id, e.Published, e.Category, e.Vector, e.AuthorKeys, e.AliasKeys);

    private static CorpusEntry WithKeys(string id, DateOnly published, string? category, float[] vector, ulong[] authorKeys, ulong[] aliasKeys) => new()
    {
        Id = id,
        Published = published,
        Category = category,
        AliasKeys = aliasKeys,
        AuthorKeys = authorKeys,
        Vector = vector,
    };

    public static float[] RandomUnit(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            v[i] = (float)Gaussian(random);
        }

        return VectorMath.Normalise(v);
    }

    public static float[] Jitter(Random random, float[] centre, double noise)
    {
        var v = centre.Select(x => (float)(x + noise * Gaussian(random) / Math.Sqrt(centre.Length))).ToArray();
        return VectorMath.Normalise(v);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
