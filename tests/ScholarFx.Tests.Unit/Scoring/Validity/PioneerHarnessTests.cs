using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Validity;
using Xunit.Abstractions;

namespace ScholarFx.Tests.Unit.Scoring.Validity;

/// <summary>
/// The small version of the pioneer check (docs/validity.md, Pioneer candidates) that CI runs beside the novelty one:
/// the planted-structure corpus, whose founding papers every derivative follows, and 800 generated abstracts embedded
/// with the product's MiniLM model with 40 near-copies of each kind joined to them. The generated papers have no
/// citations, so what is checked here is what needs none: founding papers above their derivatives, no copy above its
/// original, no pile-up on one value, and that the product's pioneer (<c>pioneer/1</c>) orders papers as the adopted
/// harness definition does.
/// </summary>
public sealed class PioneerHarnessTests(ITestOutputHelper output)
{
    private static readonly ValidityOptions Options = new() { EvaluateFrom = new DateOnly(2024, 1, 1), EvaluateTo = new DateOnly(2024, 12, 31) };

    [Fact]
    public void ProductPioneer_PutsFoundingPapersAboveTheirDerivatives_OnThePlantedCorpus()
    {
        var planted = PlantedCorpus.Generate(topics: 60, derivativesPerTopic: 12, seed: 11);
        var evaluation = new NoveltyEvaluation([.. planted.Select(p => p.Entry)], 10, Options.Cohort);
        var pioneer = new PioneerEvaluation(evaluation, windowDays: 730, lagDays: 60);

        foreach (var kind in new[] { PioneerKind.Product, PioneerKind.RankedFollowersThenDensity })
        {
            var raw = pioneer.Raw(kind);
            var founding = planted.Where(p => p.Founding && raw[p.Entry.Id] is not null).Select(p => raw[p.Entry.Id]!.Value).ToArray();
            var derivatives = planted.Where(p => !p.Founding && raw[p.Entry.Id] is not null).Select(p => raw[p.Entry.Id]!.Value).ToArray();
            var auroc = Statistics.Auroc(founding, derivatives);
            output.WriteLine($"{kind}: {founding.Length} founding and {derivatives.Length} derivative papers with a value, AUROC {auroc:F3}");

            Assert.True(founding.Length >= 20, $"only {founding.Length} founding papers have a value");
            Assert.True(auroc >= 0.9, $"{kind}: founding above derivatives AUROC {auroc:F3}");
        }
    }

    [Fact]
    public void PioneerVariant_WithTheProductsRule_ComputesTheProductsRawValues()
    {
        var planted = PlantedCorpus.Generate(topics: 60, derivativesPerTopic: 12, seed: 11);
        var evaluation = new NoveltyEvaluation([.. planted.Select(p => p.Entry)], 10, Options.Cohort);

        var product = new PioneerEvaluation(evaluation, windowDays: 730, lagDays: 60).Raw(PioneerKind.Product);
        var variant = new PioneerVariant("1/rank, k = 10", FollowerWeight.Rank).Raw(evaluation, windowDays: 730, lagDays: 60);

        Assert.True(product.Values.Count(v => v is not null) >= 300, "too few papers with a value to compare");
        Assert.All(planted, p => Assert.Equal(product[p.Entry.Id], variant[p.Entry.Id]));
    }

    [Fact]
    public async Task ProductPioneer_NeverPutsACopyAboveItsOriginal_HasNoPileUp_AndOrdersAsTheAdoptedDefinition()
    {
        var papers = GeneratedAbstracts.Generate(papers: 800, topics: 40, seed: 3);
        using var embedder = new MiniLmEmbedder();
        var cache = new EmbeddingCache(embedder, path: null);
        Task<float[][]> Embed(IReadOnlyList<string> texts) => cache.EmbedAsync(texts, CancellationToken.None);
        var vectors = await Embed([.. papers.Select(p => p.Text)]);
        var clean = new NoveltyEvaluation([.. papers.Select((p, i) => ValidityRun.Entry(p, vectors[i]))], 10, Options.Cohort);
        // Every paper "cited" 0 times: the run then reports every paper with a value (the citation columns are empty).
        var none = papers.ToDictionary(p => p.Id, _ => 0, StringComparer.Ordinal);

        var results = await PioneerRun.RunAsync(clean, papers, none, Embed, (40, new DateOnly(2023, 5, 1), new DateOnly(2023, 10, 31), 7), Options.Cohort, output.WriteLine);
        output.WriteLine(ValidityMarkdown.Pioneer(results));

        var product = Assert.Single(results, r => r.Name.StartsWith("product", StringComparison.Ordinal));
        Assert.True(product.Scored >= 300, $"only {product.Scored} papers have a value");
        foreach (var kind in new[] { ProbeKind.Verbatim, ProbeKind.Reordered })
        {
            Assert.True(product.Copies[kind].Compared >= 30, $"{kind}: {product.Copies[kind].Compared} copies compared");
            Assert.Equal(0, product.Copies[kind].Higher);
        }

        // The harness measured 2 % of joined copies above the better of their two originals on real papers.
        Assert.True(product.Copies[ProbeKind.Joined].Higher <= 0.05, $"joined copies above their originals: {product.Copies[ProbeKind.Joined].Higher:P1}");
        Assert.True(product.ModalShare <= 0.015, $"most common value held by {product.ModalShare:P2}");

        var pioneer = new PioneerEvaluation(clean, windowDays: 730, lagDays: 60);
        var ours = pioneer.Raw(PioneerKind.Product);
        var adopted = pioneer.Raw(PioneerKind.RankedFollowersThenDensity);
        var both = clean.Corpus.Where(e => ours[e.Id] is not null && adopted[e.Id] is not null).ToList();
        var rho = Statistics.Spearman([.. both.Select(e => ours[e.Id]!.Value)], [.. both.Select(e => adopted[e.Id]!.Value)]);
        output.WriteLine($"product vs adopted definition: Spearman {rho:F3} over {both.Count} papers");
        Assert.True(rho >= 0.9, $"the product's pioneer orders papers unlike the adopted definition: ρ {rho:F3}");
    }
}
