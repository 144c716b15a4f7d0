using System.Collections.Concurrent;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Identity;

/// <summary>
/// What the Identities table says under each key, read once per batch (or per reconciliation): a batch's papers share
/// names, and each name is one point read — only for the names the list of stored keys holds, once a batch has
/// prefetched (<see cref="IdentityKeys"/>).
/// </summary>
public sealed class IdentityLookup(IIdentityStore store)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NameIdentity>>> known = new(StringComparer.Ordinal);

    // The keys that have anything stored, read once by PrefetchAsync: a key outside it is not read (null: read every key).
    private IReadOnlySet<string>? stored;

    /// <summary>Everything known under a name key or profile id.</summary>
    public Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken) =>
        known.GetOrAdd(key, k => new Lazy<Task<NameIdentity>>(() => stored is { } keys && !keys.Contains(k)
            ? Task.FromResult(NameIdentity.Empty(k))
            : store.GetAsync(k, cancellationToken))).Value;

    /// <summary>
    /// Reads what is known under these keys, several at a time (a batch's names, before its papers are resolved one by
    /// one): the list of keys that have anything stored first (one read), then only the keys in it.
    /// </summary>
    public async Task PrefetchAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        stored ??= await store.KnownKeysAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(keys.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
            await GetAsync(key, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

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
