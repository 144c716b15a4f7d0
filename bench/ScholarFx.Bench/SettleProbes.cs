namespace ScholarFx.Bench;

/// <summary>
/// Diagnosis switches of the settle bench, named on its command line. Each changes what is measured, so a run with
/// any of them is compared with a plain run, not quoted as the service's speed.
/// </summary>
[Flags]
internal enum SettleProbes
{
    None = 0,

    /// <summary><c>count</c>: counts storage requests by table and kind (a pipeline policy on every client).</summary>
    CountRequests = 1,

    /// <summary><c>without-identity-and-rankings</c>: the identity and ranking stores replaced by no-ops.</summary>
    WithoutIdentityAndRankings = 2,

    /// <summary><c>without-citation-cohorts</c>: profiles rendered without a citation-cohort snapshot.</summary>
    WithoutCitationCohorts = 4,

    /// <summary><c>profile-azurite</c>: node writes a CPU profile of Azurite when the bench stops it.</summary>
    ProfileAzurite = 8,

    /// <summary><c>keep-data</c>: Azurite's folder is kept after the run, to be summarised with bench/azurite-tables.js.</summary>
    KeepData = 16,

    /// <summary>
    /// <c>rescore</c>: once the burst is settled, a full rescore runs inline (as the nightly timer's, without
    /// recomputing embeddings) and its counts are reported: over a settled corpus it should change 0 papers and 0
    /// profiles. It adds to the request counts, so it is reported after them.
    /// </summary>
    Rescore = 32,
}

/// <summary>Reads <see cref="SettleProbes"/> from the bench's arguments.</summary>
internal static class SettleProbesParser
{
    public static SettleProbes Parse(IReadOnlyCollection<string> args)
    {
        var probes = SettleProbes.None;
        foreach (var (name, probe) in new[]
        {
            ("count", SettleProbes.CountRequests),
            ("without-identity-and-rankings", SettleProbes.WithoutIdentityAndRankings),
            ("without-citation-cohorts", SettleProbes.WithoutCitationCohorts),
            ("profile-azurite", SettleProbes.ProfileAzurite),
            ("keep-data", SettleProbes.KeepData),
            ("rescore", SettleProbes.Rescore),
        })
        {
            if (args.Contains(name))
            {
                probes |= probe;
            }
        }

        return probes;
    }
}
