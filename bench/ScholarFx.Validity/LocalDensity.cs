using System.Numerics.Tensors;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Validity;

/// <summary>
/// How busy a paper's field is, measured independently of any novelty definition: the mean similarity of the paper to
/// its <c>m</c> most similar papers of the whole corpus, earlier or later. A score that rewards topical isolation falls
/// as this rises.
/// </summary>
public static class LocalDensity
{
    /// <summary>The density of every corpus paper, by id.</summary>
    public static Dictionary<string, double> Of(IReadOnlyList<CorpusEntry> corpus, int m = 20)
    {
        var d = corpus[0].Vector.Length;
        var queries = new float[corpus.Count * d];
        for (var i = 0; i < corpus.Count; i++)
        {
            corpus[i].Vector.CopyTo(queries, i * d);
        }

        var limits = Enumerable.Repeat(corpus.Count, corpus.Count).ToArray();
        var found = BlockedNearest.Search([.. corpus.Select(e => e.Vector)], queries, d, limits, m + 1);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < corpus.Count; i++)
        {
            var others = found[i].Where(j => j >= 0 && j != i).Take(m).ToList();
            result[corpus[i].Id] = others.Count == 0 ? 0 : others.Average(j => TensorPrimitives.Dot(corpus[i].Vector, corpus[j].Vector));
        }

        return result;
    }
}

/// <summary>
/// How busy a paper's topic is at a coarser scale than any neighbourhood: the corpus is clustered with k-means
/// (k-means++ seeding, cosine on unit vectors, fixed seed) and a paper's topic size is the number of papers in its
/// cluster. Unlike <see cref="LocalDensity"/> it does not contain the paper's similarity to its own nearest papers, so a
/// near-copy does not make its own topic look busy.
/// </summary>
public static class TopicSize
{
    /// <summary>The size of each paper's cluster, by id.</summary>
    public static Dictionary<string, double> Of(IReadOnlyList<CorpusEntry> corpus, int clusters, int seed = 1, int iterations = 15)
    {
        var random = new Random(seed);
        var d = corpus[0].Vector.Length;
        clusters = Math.Min(clusters, corpus.Count);
        var centres = new List<float[]> { (float[])corpus[random.Next(corpus.Count)].Vector.Clone() };
        var best = corpus.Select(e => 1 - TensorPrimitives.Dot(e.Vector, centres[0])).ToArray();
        while (centres.Count < clusters)
        {
            // k-means++: the next centre is drawn with probability proportional to the squared distance.
            var weights = best.Select(x => Math.Max(0, x) * Math.Max(0, x)).ToArray();
            var pick = random.NextDouble() * weights.Sum();
            var chosen = 0;
            for (var acc = 0.0; chosen < weights.Length - 1 && (acc += weights[chosen]) < pick; chosen++)
            {
            }

            centres.Add((float[])corpus[chosen].Vector.Clone());
            for (var i = 0; i < corpus.Count; i++)
            {
                best[i] = Math.Min(best[i], 1 - TensorPrimitives.Dot(corpus[i].Vector, centres[^1]));
            }
        }

        var assignment = new int[corpus.Count];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Parallel.For(0, corpus.Count, i =>
            {
                var (top, at) = (float.MinValue, 0);
                for (var c = 0; c < centres.Count; c++)
                {
                    var s = TensorPrimitives.Dot(corpus[i].Vector, centres[c]);
                    if (s > top)
                    {
                        (top, at) = (s, c);
                    }
                }

                assignment[i] = at;
            });
            var sums = Enumerable.Range(0, centres.Count).Select(_ => new float[d]).ToArray();
            for (var i = 0; i < corpus.Count; i++)
            {
                TensorPrimitives.Add(sums[assignment[i]], corpus[i].Vector, sums[assignment[i]]);
            }

            for (var c = 0; c < centres.Count; c++)
            {
                if (TensorPrimitives.Norm(sums[c]) > 0)
                {
                    centres[c] = ScholarFx.Core.Scoring.Embeddings.VectorMath.Normalise(sums[c]);
                }
            }
        }

        var sizes = assignment.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        return corpus.Select((e, i) => (e.Id, Size: (double)sizes[assignment[i]])).ToDictionary(x => x.Id, x => x.Size, StringComparer.Ordinal);
    }
}
