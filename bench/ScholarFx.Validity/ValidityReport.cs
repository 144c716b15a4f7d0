namespace ScholarFx.Validity;

/// <summary>Where one kind of probe landed under one candidate.</summary>
/// <param name="Count">Probes of the kind.</param>
/// <param name="Scored">Probes that got a score.</param>
/// <param name="BottomTenth">Share of scored probes with a percentile below 10.</param>
/// <param name="BelowMedian">Share of scored probes with a percentile below 50.</param>
/// <param name="MedianPercentile">Median percentile of the scored probes.</param>
/// <param name="Auroc">Probability that a real paper of the probe's month scores above the probe (ties half).</param>
public sealed record ProbeResult(int Count, int Scored, double BottomTenth, double BelowMedian, double MedianPercentile, double Auroc);

/// <summary>One candidate definition's row of the comparison.</summary>
public sealed record CandidateResult(
    string Name,
    string Description,
    IReadOnlyDictionary<ProbeKind, ProbeResult> Probes,
    double PlantedAuroc,
    double SpearmanK5K10,
    double SpearmanK10K20,
    double ModalShare,
    double DensitySpearman,
    double SparseFifthMean,
    double DenseFifthMean,
    double TopicSpearman,
    double SmallTopicFifthMean,
    double LargeTopicFifthMean,
    double DateSpearman,
    double SecondsPer10k)
{
    /// <summary>The link with later citations within cohorts, on a corpus with citation counts.</summary>
    public CitationResult? Citations { get; init; }
}

/// <summary>What a validity run measured.</summary>
public sealed record ValidityReport(
    int CorpusPapers,
    int EvaluatedPapers,
    DateOnly EvaluateFrom,
    DateOnly EvaluateTo,
    int K,
    double SearchSecondsPer10k,
    IReadOnlyList<CandidateResult> Candidates,
    AiReport? Ai = null)
{
    /// <summary>The row of a candidate by name.</summary>
    public CandidateResult this[string name] => Candidates.Single(c => c.Name == name);
}
