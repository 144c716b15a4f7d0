using System.ComponentModel.DataAnnotations;

namespace ScholarFx.Core.Harvest;

/// <summary>The arXiv OAI-PMH harvest (section <c>Harvest:Arxiv</c>); off without an endpoint.</summary>
public sealed class ArxivHarvestOptions : HarvestSourceOptions
{
    /// <summary>The OAI-PMH set (<c>cs</c>, <c>physics:hep-th</c>, …); empty: every set.</summary>
    [RegularExpression("^[A-Za-z0-9.:_-]*$", ErrorMessage = "Set must be an OAI-PMH setSpec such as cs or physics:hep-th")]
    public string? Set { get; set; }

    /// <summary>The metadata format asked for: <c>arXiv</c> (structured authors) or <c>arXivRaw</c> (versions).</summary>
    [RegularExpression("^(arXiv|arXivRaw)$", ErrorMessage = "MetadataPrefix must be arXiv or arXivRaw (the formats the arxiv-oai reader reads)")]
    public string MetadataPrefix { get; set; } = "arXiv";

    /// <summary>arXiv's terms ask for one request every 3 seconds.</summary>
    [Range(0.0, 3600.0)]
    public override double IntervalSeconds { get; set; } = 3;
}
