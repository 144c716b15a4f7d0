using Microsoft.Extensions.Options;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Profiles;

/// <summary>
/// The aggregates this process committed last (ledger, figures, ETag; not the rendered profile), up to
/// <see cref="ProfileOptions.CachedLedgerRows"/> paper rows in all, oldest entries dropped first. An entry stands in for
/// the aggregate's point read: the commit that uses it is conditional on its ETag, so an entry another writer has
/// overtaken fails that commit (nothing is written) and is dropped, and the next attempt reads the row.
/// </summary>
public sealed class AggregateCache(IOptions<ProfileOptions> options)
{
    private readonly RecentEntries<StoredAggregate> entries = new(a => 1 + (a.Ledger?.Count ?? 0), () => options.Value.CachedLedgerRows);

    /// <summary>The aggregate last committed here for the author, or null.</summary>
    public StoredAggregate? Get(string authorId) => entries.Get(authorId);

    /// <summary>Keeps what was just committed (with the ETag the service gave it).</summary>
    public void Set(StoredAggregate committed) => entries.Set(committed.AuthorId, committed with { ProfileJson = "" });

    /// <summary>Drops the author's entry (a commit on it lost a race).</summary>
    public void Forget(string authorId) => entries.Forget(authorId);
}
