using System.Collections.Concurrent;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>
/// What the Identities table says under each key, read once per batch (or per reconciliation): a batch's papers share
/// names, and each name is one partition query.
/// </summary>
public sealed class IdentityLookup(IIdentityStore store)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NameIdentity>>> known = new(StringComparer.Ordinal);

    /// <summary>Everything known under a name key or profile id.</summary>
    public Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken) =>
        known.GetOrAdd(key, k => new Lazy<Task<NameIdentity>>(() => store.GetAsync(k, cancellationToken))).Value;

    /// <summary>Reads what is known under these keys, several at a time (a batch's names, before its papers are resolved one by one).</summary>
    public Task PrefetchAsync(IEnumerable<string> keys, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(keys.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
            await GetAsync(key, ct).ConfigureAwait(false));

    /// <summary>The profile an id resolves to after curators' merges (itself when it was never merged).</summary>
    public async Task<string> FollowAsync(string id, CancellationToken cancellationToken)
    {
        var current = id;
        for (var hop = 0; hop < IdentityStore.MaxRedirects; hop++)
        {
            if ((await GetAsync(current, cancellationToken).ConfigureAwait(false)).Redirect is not { } next || next == id)
            {
                break;
            }

            current = next;
        }

        return current;
    }
}
